// harness.cpp: an emulated CUDA device, served over stdin/stdout to the Java tests.
//
// Every kernel source is compiled here with g++ through emulation.h. The Java side
// (EmulatedDevice.java) sends the same requests it would make of the driver: allocate, free,
// zero, copy in, copy out, launch a kernel by name with packed arguments. So the tests run the
// real CudaBackend (argument packing, launch geometry, GEMM and conv plans) on these kernels and
// compare every result with the CPU backend.
//
// Requests are little-endian: one opcode byte, then its fields. Each reply starts with a status
// byte: 0 and the reply's fields, or 1, a u32 length and an error message.
//   'A' u64 bytes                   -> u64 address          allocate
//   'F' u64 address                 ->                      free
//   'Z' u64 address u64 bytes       ->                      zero
//   'W' u64 address u64 bytes data  ->                      copy in
//   'R' u64 address u64 bytes       -> data                 copy out
//   'K' str name str signature u32 grid[3] u32 block[3] u32 args-length args  ->   launch
//   'N'                             -> u32 count (str name str signature)*      list kernels
//   'Q'                             -> (exits)
// where str is a u16 length and bytes. A signature has one letter per parameter: p pointer,
// i int, l 64-bit integer, f float, d double, s<bytes> struct. The launch is refused when the
// caller's signature or argument length differs from the kernel's, which is how the tests check
// KernelArgs' packing against the C++ compiler's.
#include "emulation.h"

#include "../../main/cuda/conv.cu"
#include "../../main/cuda/elementwise.cu"
#include "../../main/cuda/gemm.cu"
#include "../../main/cuda/indexing.cu"
#include "../../main/cuda/norm.cu"
#include "../../main/cuda/pool.cu"
#include "../../main/cuda/reduce.cu"
#include "../../main/cuda/resample.cu"
#include "../../main/cuda/rng.cu"
#include "../../main/cuda/softmax.cu"
#include "emulation_selftest.cu"

#include <iostream>
#include <map>
#include <string>
#include <tuple>
#include <type_traits>

namespace {

template <typename T>
std::string code() {
    if constexpr (std::is_pointer_v<T>) return "p";
    else if constexpr (std::is_same_v<T, int>) return "i";
    else if constexpr (std::is_integral_v<T> && sizeof(T) == 8) return "l";
    else if constexpr (std::is_same_v<T, float>) return "f";
    else if constexpr (std::is_same_v<T, double>) return "d";
    else return "s" + std::to_string(sizeof(T));
}

// Reads a parameter at the next offset aligned for its type, as the CUDA ABI lays them out.
template <typename T>
T take(const std::vector<uint8_t>& args, size_t& offset) {
    offset = (offset + alignof(T) - 1) / alignof(T) * alignof(T);
    T v;
    std::memcpy(&v, args.data() + offset, sizeof(T));
    offset += sizeof(T);
    return v;
}

template <typename T>
size_t end_of(size_t offset) {
    return (offset + alignof(T) - 1) / alignof(T) * alignof(T) + sizeof(T);
}

struct Kernel {
    std::string signature;
    size_t bytes;  // the packed length of the parameters
    std::function<void(dim3, dim3, const std::vector<uint8_t>&)> launch;
};

template <typename... A>
Kernel kernel(void (*fn)(A...)) {
    Kernel k;
    k.signature = (std::string() + ... + code<A>());
    size_t offset = 0;
    ((offset = end_of<A>(offset)), ...);
    k.bytes = offset;
    k.launch = [fn](dim3 grid, dim3 block, const std::vector<uint8_t>& args) {
        size_t at = 0;
        std::tuple<A...> values{take<A>(args, at)...};  // braced lists evaluate left to right
        emu::launch(grid, block, [&] { std::apply(fn, values); });
    };
    return k;
}

#define K(name) {#name, kernel(name)}
const std::map<std::string, Kernel> kernels = {
    K(col2im_f32), K(col2im_f64), K(im2col_f32), K(im2col_f64),
    K(fill_f32), K(fill_f64), K(fill_i32),
    K(copy_f32_f32), K(copy_f32_f64), K(copy_f32_i32), K(copy_f64_f32), K(copy_f64_f64), K(copy_f64_i32),
    K(copy_i32_f32), K(copy_i32_f64), K(copy_i32_i32),
    K(unary_f32), K(unary_f64), K(binary_f32), K(binary_f64),
    K(where_f32_f32), K(where_f32_f64), K(where_f32_i32), K(where_f64_f32), K(where_f64_f64), K(where_f64_i32),
    K(gemm_f32), K(gemm_f64),
    K(index_select_f32), K(index_select_f64), K(index_select_i32), K(index_add_f32), K(index_add_f64),
    K(index_add_i32), K(gather_rows_f32), K(gather_rows_f64), K(gather_rows_i32), K(scatter_add_rows_f32),
    K(scatter_add_rows_f64), K(scatter_add_rows_i32),
    K(row_moments_f32), K(row_moments_f64), K(channel_moments_f32), K(channel_moments_f64),
    K(max_pool_forward_f32), K(max_pool_forward_f64), K(max_pool_backward_f32), K(max_pool_backward_f64),
    K(avg_pool_forward_f32), K(avg_pool_forward_f64), K(avg_pool_backward_f32), K(avg_pool_backward_f64),
    K(grid_sample_forward_f32), K(grid_sample_forward_f64), K(grid_sample_backward_f32), K(grid_sample_backward_f64),
    K(reduce_thread_f32), K(reduce_thread_f64), K(reduce_warp_f32), K(reduce_warp_f64), K(reduce_block_f32),
    K(reduce_block_f64), K(argmax_f32), K(argmax_f64),
    K(uniform_f32), K(uniform_f64), K(normal_f32), K(normal_f64),
    K(softmax_f32), K(softmax_f64),
    K(selftest_reverse), K(selftest_shuffles), K(selftest_atomics), K(selftest_early_return),
};
#undef K

// ---- the wire --------------------------------------------------------------------------------

std::map<uint64_t, uint64_t> allocations;  // address -> bytes

struct Failure {
    std::string message;
};

void read_exact(void* to, size_t n) {
    if (n > 0 && std::fread(to, 1, n, stdin) != n) std::exit(0);  // the Java side went away
}
template <typename T>
T read() {
    T v;
    read_exact(&v, sizeof(T));
    return v;
}
std::string read_string() {
    std::string s(read<uint16_t>(), '\0');
    read_exact(s.data(), s.size());
    return s;
}
void write_bytes(const void* from, size_t n) { std::fwrite(from, 1, n, stdout); }
template <typename T>
void write(T v) { write_bytes(&v, sizeof(T)); }
void write_string(const std::string& s) {
    write<uint16_t>((uint16_t) s.size());
    write_bytes(s.data(), s.size());
}

// The allocation [address, address + bytes) lies in, or a Failure naming the bad range.
void check_range(uint64_t address, uint64_t bytes) {
    auto it = allocations.upper_bound(address);
    if (it != allocations.begin()) {
        --it;
        if (address + bytes <= it->first + it->second) return;
    }
    throw Failure{"range [" + std::to_string(address) + ", +" + std::to_string(bytes) +
                  ") is not inside one live allocation"};
}

void serve(uint8_t op) {
    switch (op) {
        case 'A': {
            uint64_t bytes = read<uint64_t>();
            void* p = std::malloc(bytes == 0 ? 1 : bytes);
            if (p == nullptr) throw Failure{"out of memory allocating " + std::to_string(bytes) + " bytes"};
            allocations[(uint64_t) p] = bytes;
            write<uint8_t>(0);
            write<uint64_t>((uint64_t) p);
            return;
        }
        case 'F': {
            uint64_t address = read<uint64_t>();
            if (allocations.erase(address) == 0) throw Failure{"free of an address that is not allocated"};
            std::free((void*) address);
            write<uint8_t>(0);
            return;
        }
        case 'Z':
        case 'W':
        case 'R': {
            uint64_t address = read<uint64_t>();
            uint64_t bytes = read<uint64_t>();
            std::vector<uint8_t> data(op == 'W' ? bytes : 0);
            read_exact(data.data(), data.size());
            check_range(address, bytes);
            if (op == 'Z' && bytes > 0) std::memset((void*) address, 0, bytes);
            if (op == 'W' && bytes > 0) std::memcpy((void*) address, data.data(), bytes);
            write<uint8_t>(0);
            if (op == 'R') write_bytes((void*) address, bytes);
            return;
        }
        case 'K': {
            std::string name = read_string();
            std::string signature = read_string();
            uint32_t g[3], b[3];
            for (auto& v : g) v = read<uint32_t>();
            for (auto& v : b) v = read<uint32_t>();
            std::vector<uint8_t> args(read<uint32_t>());
            read_exact(args.data(), args.size());
            auto it = kernels.find(name);
            if (it == kernels.end()) throw Failure{"no kernel named " + name};
            const Kernel& k = it->second;
            if (signature != k.signature || args.size() != k.bytes) {
                throw Failure{name + ": the caller packed (" + signature + ", " + std::to_string(args.size()) +
                              " bytes), the kernel takes (" + k.signature + ", " + std::to_string(k.bytes) + " bytes)"};
            }
            k.launch(dim3(g[0], g[1], g[2]), dim3(b[0], b[1], b[2]), args);
            write<uint8_t>(0);
            return;
        }
        case 'N': {
            write<uint8_t>(0);
            write<uint32_t>((uint32_t) kernels.size());
            for (auto& [name, k] : kernels) {
                write_string(name);
                write_string(k.signature);
            }
            return;
        }
        case 'Q':
            std::fflush(stdout);
            std::exit(0);
        default:
            throw Failure{"unknown request " + std::to_string(op)};
    }
}

}  // namespace

int main() {
    for (;;) {
        uint8_t op = read<uint8_t>();
        try {
            serve(op);
        } catch (const Failure& f) {
            write<uint8_t>(1);
            write<uint32_t>((uint32_t) f.message.size());
            write_bytes(f.message.data(), f.message.size());
        }
        std::fflush(stdout);
    }
}
