# The DeepCore recipe (SGD lr 0.1, Nesterov momentum 0.9, weight decay 5e-4, cosine over 200 epochs,
# batch 128) on a uniform 6-per-class subset of Fashion-MNIST with the same LeNet, in PyTorch, to
# check that our collapses at 0.1% are the recipe's and not our trainer's.
# Usage: /usr/bin/python3 pytorch_recipe_check.py LR PER_CLASS   (lr 0.1 and 0.01, 6 per class: pytorch_recipe_check.txt)
import gzip, numpy as np, torch, torch.nn as nn, sys
torch.set_num_threads(1)
d='/usr/share/datasets/fashion-mnist/'
def imgs(f): 
    with gzip.open(d+f) as g: return np.frombuffer(g.read(),np.uint8,offset=16).reshape(-1,1,28,28).astype(np.float32)/255
def labs(f):
    with gzip.open(d+f) as g: return np.frombuffer(g.read(),np.uint8,offset=8).astype(np.int64)
X,Y,Xt,Yt=imgs('train-images-idx3-ubyte.gz'),labs('train-labels-idx1-ubyte.gz'),imgs('t10k-images-idx3-ubyte.gz'),labs('t10k-labels-idx1-ubyte.gz')
m,s=X.mean(),X.std(); X=(X-m)/s; Xt=(Xt-m)/s
Xt=torch.tensor(Xt); Yt=torch.tensor(Yt)
lr=float(sys.argv[1]); per=int(sys.argv[2])
for seed in range(3):
    rng=np.random.default_rng(seed); idx=np.concatenate([rng.choice(np.where(Y==c)[0],per,replace=False) for c in range(10)])
    x=torch.tensor(X[idx]); y=torch.tensor(Y[idx]); torch.manual_seed(seed)
    net=nn.Sequential(nn.Conv2d(1,6,5,padding=2),nn.ReLU(),nn.MaxPool2d(2),nn.Conv2d(6,16,5),nn.ReLU(),nn.MaxPool2d(2),nn.Flatten(),nn.Linear(400,120),nn.ReLU(),nn.Linear(120,84),nn.ReLU(),nn.Linear(84,10))
    opt=torch.optim.SGD(net.parameters(),lr=lr,momentum=0.9,nesterov=True,weight_decay=5e-4)
    E=200; steps=(len(x)+127)//128; sch=torch.optim.lr_scheduler.CosineAnnealingLR(opt,E*steps)
    for e in range(E):
        p=torch.randperm(len(x))
        for b in range(steps):
            i=p[b*128:(b+1)*128]; opt.zero_grad(); l=nn.functional.cross_entropy(net(x[i]),y[i]); l.backward(); opt.step(); sch.step()
    with torch.no_grad(): acc=(net(Xt).argmax(1)==Yt).float().mean().item(); tr=(net(x).argmax(1)==y).float().mean().item()
    print(f"lr {lr} per-class {per} seed {seed}: train {tr:.3f} test {acc:.4f} final loss {l.item():.4f}")
