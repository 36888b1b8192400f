#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An in-place radix-2 complex FFT over split real/imaginary arrays, and its 2-D form.
///
/// Written by hand because no package in reach provides an FFT for Swift on Linux (Accelerate's
/// vDSP is Apple-only; swift-numerics has none). Iterative Cooley–Tukey with precomputed twiddles;
/// exact to rounding (checked against a direct DFT in the tests).
struct FFT: Sendable {
    let size: Int
    private let cosines: [Double]
    private let sines: [Double]
    private let reversed: [Int]

    /// A transform of `size` points, a power of two.
    init(size: Int) {
        precondition(size > 0 && size & (size - 1) == 0, "FFT size must be a power of two")
        self.size = size
        cosines = (0..<max(1, size / 2)).map { cos(2 * .pi * Double($0) / Double(size)) }
        sines = (0..<max(1, size / 2)).map { -sin(2 * .pi * Double($0) / Double(size)) }
        let bits = size.trailingZeroBitCount
        reversed = (0..<size).map { index in
            var value = 0
            for bit in 0..<bits where index & (1 << bit) != 0 { value |= 1 << (bits - 1 - bit) }
            return value
        }
    }

    /// The forward transform (e^{−2πi jk/n}) of `count` = `size` values read with `stride`.
    func transform(_ real: UnsafeMutablePointer<Double>, _ imaginary: UnsafeMutablePointer<Double>, stride: Int) {
        for index in 0..<size {
            let partner = reversed[index]
            if partner > index {
                swap(&real[index * stride], &real[partner * stride])
                swap(&imaginary[index * stride], &imaginary[partner * stride])
            }
        }
        var half = 1
        while half < size {
            let step = size / (2 * half)
            var start = 0
            while start < size {
                for k in 0..<half {
                    let c = cosines[k * step]
                    let s = sines[k * step]
                    let a = (start + k) * stride
                    let b = (start + k + half) * stride
                    let tr = real[b] * c - imaginary[b] * s
                    let ti = real[b] * s + imaginary[b] * c
                    real[b] = real[a] - tr
                    imaginary[b] = imaginary[a] - ti
                    real[a] += tr
                    imaginary[a] += ti
                }
                start += 2 * half
            }
            half *= 2
        }
    }

    /// The 2-D forward transform of a `rows × columns` row-major array (both powers of two).
    static func transform2D(
        real: inout [Double], imaginary: inout [Double], rows: FFT, columns: FFT
    ) {
        real.withUnsafeMutableBufferPointer { re in
            imaginary.withUnsafeMutableBufferPointer { im in
                let r = re.baseAddress!
                let i = im.baseAddress!
                for row in 0..<rows.size {
                    columns.transform(r + row * columns.size, i + row * columns.size, stride: 1)
                }
                for column in 0..<columns.size { rows.transform(r + column, i + column, stride: columns.size) }
            }
        }
    }
}
