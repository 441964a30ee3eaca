import jdk.incubator.vector.*;
public class Ld {
    static final VectorSpecies<Float> W = FloatVector.SPECIES_512;
    static final int LW = W.length();
    static final VectorSpecies<Float> T = FloatVector.SPECIES_256;
    static void k(int kc, float[] ap, float[] bp, float[] tile) {
        FloatVector c00 = FloatVector.zero(W), c01 = c00, c02 = c00, c03 = c00, c10=c00,c11=c00,c12=c00,c13=c00;
        for (int p = 0; p < kc; p++) {
            int pa = p*4, pb = p*4*LW;
            FloatVector b0 = FloatVector.fromArray(W, bp, pb), b1 = FloatVector.fromArray(W, bp, pb+LW), b2 = FloatVector.fromArray(W, bp, pb+2*LW), b3 = FloatVector.fromArray(W, bp, pb+3*LW);
            FloatVector a = FloatVector.broadcast(W, ap[pa]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02); c03 = a.fma(b3, c03);
            a = FloatVector.broadcast(W, ap[pa+1]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11); c12 = a.fma(b2, c12); c13 = a.fma(b3, c13);
        }
        c00.intoArray(tile,0); c01.intoArray(tile,LW); c02.intoArray(tile,2*LW); c03.intoArray(tile,3*LW);
        c10.add(c11).add(c12).add(c13).intoArray(tile,4*LW);
    }
    public static void main(String[] a){
        if (a.length>0) { float[] x=new float[1024]; FloatVector v=FloatVector.zero(T); for(int i=0;i<1000000;i++){ v=v.add(FloatVector.fromArray(T,x,i%100)); v.intoArray(x,(i*7)%100);} System.out.println("256 warm "+v.reduceLanes(VectorOperators.ADD)); }
        int kc=256; float[] ap=new float[kc*4], bp=new float[kc*4*LW], tile=new float[8*LW];
        for(int r=0;r<6;r++){ long t=System.nanoTime(); for(int i=0;i<20000;i++) k(kc,ap,bp,tile); double s=(System.nanoTime()-t)/1e9;
            System.out.printf("GFLOPS %.1f%n", 20000.0*kc*8*LW*2/s/1e9);}
    }
}
