# Sourced by the bench-*-vs-pytorch scripts: how the PyTorch side of a benchmark is run.
#   pytorch_env VAR=VALUE... COMMAND...   runs COMMAND with PyTorch at its best on this machine:
# OMP_WAIT_POLICY=PASSIVE (its OpenMP threads sleep instead of spinning while we alternate), and
# without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which the development machine sets and which
# make OpenBLAS (under PyTorch's Linear and convolution layers) take slower kernels: Haswell's
# 256-bit ones instead of those of the CPU it runs on. Only the PyTorch side is run this way:
# never the tests or CI.
pytorch_env() {
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE "$@"
}
