// emulation.h: just enough of the CUDA execution model to run our .cu kernels on the host with g++.
//
// A launch runs one real thread per thread of a block (std::threads of a pool kept between launches).
// Those threads walk the grid together, one block at a time: they run the kernel body for block 0, meet at the end of the block,
// go on to block 1, and so on. Because only one block is alive at a time, `__shared__` can simply
// mean `static`: every thread of the block sees the same array, and the next block reuses it.
//
//   __syncthreads()          a barrier over the block's threads (mutex + condition variable, so
//                            ThreadSanitizer and AddressSanitizer understand it)
//   __shfl_*_sync            a per-warp exchange slot array between two warp barriers
//   atomicAdd / atomicCAS    one global mutex
//
// It checks what the hardware would not forgive: __syncthreads after some threads of the block have
// returned, and a barrier nobody else reaches (a deadlock reported after 20 s instead of a hang).
#pragma once

#include <chrono>
#include <climits>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __shared__ static
#define __launch_bounds__(...)

struct dim3 {
    unsigned x, y, z;
    dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};

inline thread_local dim3 threadIdx;
inline thread_local dim3 blockIdx;
inline thread_local dim3 blockDim;
inline thread_local dim3 gridDim;
constexpr int warpSize = 32;

namespace emu {

[[noreturn]] inline void fail(const char* what) {
    std::fprintf(stderr, "emulation error: %s\n", what);
    std::fflush(stderr);
    std::_Exit(3);
}

// A reusable barrier over `total` threads that also knows how many of them have finished the
// current block, so that a __syncthreads some threads can never reach is reported, not hung on.
class Barrier {
public:
    explicit Barrier(int total) : total_(total) {}

    // __syncthreads / __syncwarp.
    void sync() {
        std::unique_lock<std::mutex> lock(m_);
        if (done_ > 0) {
            fail("__syncthreads reached after other threads of the block returned (a barrier inside a branch?)");
        }
        arrive(lock);
    }

    // The end of a block for this thread: wait until every thread of the block is done.
    void finish() {
        std::unique_lock<std::mutex> lock(m_);
        done_++;
        if (arrived_ > 0 && arrived_ + done_ == total_) {
            fail("__syncthreads not reached by threads that returned early");
        }
        if (done_ == total_) {
            done_ = 0;
            generation_++;
            cv_.notify_all();
        } else {
            wait(lock, generation_);
        }
    }

private:
    void arrive(std::unique_lock<std::mutex>& lock) {
        long gen = generation_;
        arrived_++;
        if (arrived_ == total_) {
            arrived_ = 0;
            generation_++;
            cv_.notify_all();
        } else {
            if (done_ > 0 && arrived_ + done_ == total_) {
                fail("__syncthreads not reached by threads that returned early");
            }
            wait(lock, gen);
        }
    }

    void wait(std::unique_lock<std::mutex>& lock, long gen) {
        if (!cv_.wait_for(lock, std::chrono::seconds(20), [&] { return generation_ != gen; })) {
            fail("deadlock: a barrier was not reached by every thread within 20 s");
        }
    }

    std::mutex m_;
    std::condition_variable cv_;
    const int total_;
    int arrived_ = 0;
    int done_ = 0;
    long generation_ = 0;
};

// One warp: a barrier over its lanes and a slot per lane for shuffles (8 bytes holds a double).
struct Warp {
    explicit Warp(int lanes) : lanes(lanes), barrier(lanes) {}
    int lanes;
    Barrier barrier;
    uint64_t slot[32] = {};
};

struct Launch {
    Launch(int threads) : block(threads) {
        for (int first = 0; first < threads; first += 32) {
            int lanes = threads - first < 32 ? threads - first : 32;
            warps.push_back(std::make_unique<Warp>(lanes));
        }
    }
    Barrier block;
    std::vector<std::unique_ptr<Warp>> warps;
};

inline thread_local Launch* current = nullptr;
inline thread_local int linear_thread = 0;

inline std::mutex& atomic_mutex() {
    static std::mutex m;
    return m;
}

// The host threads that play a block's threads, kept between launches: starting 256 threads per
// launch (with AddressSanitizer's per-thread set-up) cost far more than most kernels' work. Worker
// t runs thread t of every launch that has more than t threads; the pool grows to the largest
// block seen and lives as long as the process (never destroyed, so exit does not wait for it).
class Workers {
public:
    // Runs work(t) for t in [0, threads) on threads 0..threads-1 of the pool; returns when all are done.
    void run(int threads, const std::function<void(int)>& work) {
        std::unique_lock<std::mutex> lock(m_);
        while ((int) threads_.size() < threads) {
            int t = (int) threads_.size();
            threads_.emplace_back([this, t] { serve(t); });
            threads_.back().detach();
        }
        work_ = &work;
        active_ = threads;
        remaining_ = threads;
        job_++;
        start_.notify_all();
        done_.wait(lock, [&] { return remaining_ == 0; });
        work_ = nullptr;
    }

    static Workers& get() {
        static Workers* pool = new Workers();  // leaked on purpose: see above
        return *pool;
    }

private:
    void serve(int t) {
        long seen = 0;
        std::unique_lock<std::mutex> lock(m_);
        for (;;) {
            start_.wait(lock, [&] { return job_ != seen; });
            seen = job_;
            if (t >= active_) {
                continue;
            }
            const std::function<void(int)>* work = work_;
            lock.unlock();
            (*work)(t);
            lock.lock();
            if (--remaining_ == 0) {
                done_.notify_one();
            }
        }
    }

    std::mutex m_;
    std::condition_variable start_;
    std::condition_variable done_;
    std::vector<std::thread> threads_;
    const std::function<void(int)>* work_ = nullptr;
    int active_ = 0;
    int remaining_ = 0;
    long job_ = 0;
};

// Runs `body` as a grid of blocks: one host thread per thread of a block, blocks one after another.
inline void launch(dim3 grid, dim3 block, const std::function<void()>& body) {
    long threads = (long) block.x * block.y * block.z;
    if (threads < 1 || threads > 1024) {
        fail("block size must be between 1 and 1024 threads");
    }
    if (grid.x < 1 || grid.y < 1 || grid.z < 1 || grid.y > 65535 || grid.z > 65535) {
        fail("grid dimensions out of range");
    }
    Launch state((int) threads);
    Workers::get().run((int) threads, [&](int t) {
        current = &state;
        linear_thread = t;
        threadIdx = dim3(t % block.x, (t / block.x) % block.y, t / (block.x * block.y));
        blockDim = block;
        gridDim = grid;
        for (unsigned z = 0; z < grid.z; z++) {
            for (unsigned y = 0; y < grid.y; y++) {
                for (unsigned x = 0; x < grid.x; x++) {
                    blockIdx = dim3(x, y, z);
                    body();
                    state.block.finish();
                }
            }
        }
        current = nullptr;
    });
}

template <typename T>
T shuffle(T v, int source_of_lane(int lane, int lanes, int arg), int arg) {
    static_assert(sizeof(T) <= 8, "shuffles move at most 8 bytes");
    Warp& w = *current->warps[linear_thread / 32];
    int lane = linear_thread % 32;
    std::memcpy(&w.slot[lane], &v, sizeof(T));
    w.barrier.sync();
    int src = source_of_lane(lane, w.lanes, arg);
    T r;
    std::memcpy(&r, &w.slot[src], sizeof(T));
    w.barrier.sync();
    return r;
}

// A lane outside the warp reads its own value back, as on the hardware.
inline int down_source(int lane, int lanes, int delta) { return lane + delta < lanes ? lane + delta : lane; }
inline int xor_source(int lane, int lanes, int mask) { return (lane ^ mask) < lanes ? (lane ^ mask) : lane; }
inline int index_source(int, int lanes, int src) { return src % lanes; }

}  // namespace emu

inline void __syncthreads() { emu::current->block.sync(); }
inline void __syncwarp(unsigned = 0xffffffffu) { emu::current->warps[emu::linear_thread / 32]->barrier.sync(); }

template <typename T>
T __shfl_down_sync(unsigned, T v, unsigned delta) { return emu::shuffle(v, emu::down_source, (int) delta); }
template <typename T>
T __shfl_xor_sync(unsigned, T v, int mask) { return emu::shuffle(v, emu::xor_source, mask); }
template <typename T>
T __shfl_sync(unsigned, T v, int src) { return emu::shuffle(v, emu::index_source, src); }

template <typename T>
T atomicAdd(T* address, T v) {
    std::lock_guard<std::mutex> lock(emu::atomic_mutex());
    T old = *address;
    *address = old + v;
    return old;
}

inline int atomicCAS(int* address, int compare, int v) {
    std::lock_guard<std::mutex> lock(emu::atomic_mutex());
    int old = *address;
    if (old == compare) {
        *address = v;
    }
    return old;
}

// Device intrinsics with a host meaning.
inline unsigned __umulhi(unsigned a, unsigned b) { return (unsigned) (((uint64_t) a * b) >> 32); }
inline double __dmul_rn(double a, double b) { return a * b; }
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dsub_rn(double a, double b) { return a - b; }
inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }
inline double rsqrt(double x) { return 1.0 / std::sqrt(x); }
template <typename T>
T __ldg(const T* p) { return *p; }
