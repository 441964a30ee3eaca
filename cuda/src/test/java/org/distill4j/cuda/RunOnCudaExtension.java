package org.distill4j.cuda;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Map;
import org.distill4j.kernels.ComputeContext;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Runs other modules' tests through the CUDA backend: every test method, test factory, dynamic
 * test and test-class constructor runs inside a {@link ComputeContext} on {@link GpuUnderTest#probed()},
 * so the tensors they make live on the device and every op runs its CUDA kernel. scripts/gpu-check
 * uses it for the float64 gradient checks of every op (autodiff's OpGradCheckTest) and the
 * distillation hypergradient test, unchanged.
 *
 * <p>Inert unless {@code -Ddistill4j.cuda.runTestsOnCuda=true}; JUnit loads it only when extension
 * autodetection is on ({@code junit.jupiter.extensions.autodetection.enabled=true}), which
 * Maven's runs leave off. With {@code -Ddistill4j.cuda.recordLaunches=true}, a test method or
 * dynamic test during which no kernel was launched fails: it computed nothing on the GPU.
 */
public final class RunOnCudaExtension implements InvocationInterceptor {

    private static boolean enabled() {
        return Boolean.getBoolean("distill4j.cuda.runTestsOnCuda");
    }

    private static <T> T onCuda(Invocation<T> invocation, String what, boolean mustLaunch) throws Throwable {
        if (!enabled()) {
            return invocation.proceed();
        }
        long before = launches();
        T result;
        try (ComputeContext c = ComputeContext.on(GpuUnderTest.probed()).open()) {
            result = invocation.proceed();
        }
        if (mustLaunch && Boolean.getBoolean("distill4j.cuda.recordLaunches") && launches() == before) {
            throw new AssertionError(what + " launched no CUDA kernel: it did not run on the GPU");
        }
        return result;
    }

    private static long launches() {
        long n = 0;
        for (Map.Entry<String, Long> e : CheckedDevice.launches().entrySet()) {
            n += e.getValue();
        }
        return n;
    }

    @Override
    public <T> T interceptTestClassConstructor(Invocation<T> invocation, ReflectiveInvocationContext<Constructor<T>> context,
                                               ExtensionContext extension) throws Throwable {
        return onCuda(invocation, "constructor", false);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
                                    ExtensionContext extension) throws Throwable {
        onCuda(invocation, extension.getDisplayName(), true);
    }

    @Override
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation, ReflectiveInvocationContext<Method> context,
                                            ExtensionContext extension) throws Throwable {
        return onCuda(invocation, extension.getDisplayName(), false);
    }

    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext context,
                                     ExtensionContext extension) throws Throwable {
        onCuda(invocation, extension.getDisplayName(), true);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
                                          ExtensionContext extension) throws Throwable {
        onCuda(invocation, "before each", false);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
                                         ExtensionContext extension) throws Throwable {
        onCuda(invocation, "after each", false);
    }

}
