import jdk.incubator.vector.*;
public class Fma {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final VectorSpecies<Float> T = FloatVector.SPECIES_256;
    static float run512(int n) {
        FloatVector a0=FloatVector.broadcast(S,1f),a1=a0,a2=a0,a3=a0,a4=a0,a5=a0,a6=a0,a7=a0,a8=a0,a9=a0;
        FloatVector x=FloatVector.broadcast(S,0.999999f), y=FloatVector.broadcast(S,1e-7f);
        for(int i=0;i<n;i++){a0=a0.fma(x,y);a1=a1.fma(x,y);a2=a2.fma(x,y);a3=a3.fma(x,y);a4=a4.fma(x,y);a5=a5.fma(x,y);a6=a6.fma(x,y);a7=a7.fma(x,y);a8=a8.fma(x,y);a9=a9.fma(x,y);}
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).reduceLanes(VectorOperators.ADD);
    }
    static float run256(int n) {
        FloatVector a0=FloatVector.broadcast(T,1f),a1=a0,a2=a0,a3=a0,a4=a0,a5=a0,a6=a0,a7=a0,a8=a0,a9=a0;
        FloatVector x=FloatVector.broadcast(T,0.999999f), y=FloatVector.broadcast(T,1e-7f);
        for(int i=0;i<n;i++){a0=a0.fma(x,y);a1=a1.fma(x,y);a2=a2.fma(x,y);a3=a3.fma(x,y);a4=a4.fma(x,y);a5=a5.fma(x,y);a6=a6.fma(x,y);a7=a7.fma(x,y);a8=a8.fma(x,y);a9=a9.fma(x,y);}
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).reduceLanes(VectorOperators.ADD);
    }
    public static void main(String[] a){
        boolean wide = a[0].equals("512");
        int n=20_000_000; float s=0;
        for(int r=0;r<8;r++){ long t=System.nanoTime(); s+= wide?run512(n):run256(n); double sec=(System.nanoTime()-t)/1e9;
            System.out.printf("%s GFLOPS %.1f%n", a[0], 10.0*n*(wide?16:8)*2/sec/1e9);}
        System.out.println(s);
    }
}
