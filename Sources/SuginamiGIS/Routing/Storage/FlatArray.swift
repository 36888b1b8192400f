import Foundation

/// A read-only array of plain values that lives either in memory of its own or inside a mapped
/// network file, so that a network read from disk is used where it lies instead of being copied
/// out first (a city's network is 150 MB: copying it was a fifth of a cold start).
///
/// Reading an element checks its index, as `Array` does; inner loops take the whole buffer once
/// with ``withUnsafeBufferPointer(_:)``. Written by hand: `Array` cannot view memory it does not
/// own, and none of the packages we build on offers a collection over a file mapping.
public struct FlatArray<Element: BitwiseCopyable & Sendable>: @unchecked Sendable {
    // Unchecked: a mapped buffer is read-only (`PROT_READ`) and lives as long as its file's
    // mapping, which every array cut from it keeps.
    private enum Storage {
        case owned([Element])
        case mapped(UnsafeBufferPointer<Element>, MappedFile)
    }

    private let storage: Storage

    /// An array holding `elements` (no copy is made).
    public init(_ elements: [Element]) {
        storage = .owned(elements)
    }

    /// The `count` elements at `byteOffset` in `file`, used where they lie; the caller has
    /// checked that they fit and are aligned.
    init(file: MappedFile, byteOffset: Int, count: Int) {
        let start = file.bytes.baseAddress.map { ($0 + byteOffset).assumingMemoryBound(to: Element.self) }
        storage = .mapped(UnsafeBufferPointer(start: start, count: count), file)
    }

    /// Calls `body` with the elements as one contiguous buffer.
    public func withUnsafeBufferPointer<Result, Failure: Error>(
        _ body: (UnsafeBufferPointer<Element>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        switch storage {
        case .owned(let elements):
            return try elements.withUnsafeBufferPointer(body)
        case .mapped(let buffer, let file):
            defer { withExtendedLifetime(file) {} }
            return try body(buffer)
        }
    }

    /// Whether the elements lie in a mapped file (rather than in memory of the array's own).
    var isMapped: Bool {
        if case .mapped = storage { true } else { false }
    }

    /// The elements as an `Array` (a copy).
    public var array: [Element] {
        switch storage {
        case .owned(let elements): elements
        case .mapped(let buffer, let file): withExtendedLifetime(file) { Array(buffer) }
        }
    }
}

extension FlatArray: RandomAccessCollection {
    /// The first index, 0.
    public var startIndex: Int { 0 }
    /// One past the last index, `count`.
    public var endIndex: Int { count }

    /// The number of elements.
    public var count: Int {
        switch storage {
        case .owned(let elements): elements.count
        case .mapped(let buffer, _): buffer.count
        }
    }

    /// The element at `position`, which must be within `0..<count`.
    @inline(__always) public subscript(position: Int) -> Element {
        switch storage {
        case .owned(let elements):
            return elements[position]
        case .mapped(let buffer, _):
            precondition(position >= 0 && position < buffer.count, "FlatArray index out of range")
            return buffer[position]
        }
    }

    /// Lets `Array(_:)`, `elementsEqual` and the like copy and compare in blocks.
    public func withContiguousStorageIfAvailable<Result>(
        _ body: (UnsafeBufferPointer<Element>) throws -> Result
    ) rethrows -> Result? {
        try withUnsafeBufferPointer(body)
    }
}

extension FlatArray: ExpressibleByArrayLiteral {
    /// An array of the literal's elements.
    public init(arrayLiteral elements: Element...) {
        self.init(elements)
    }
}

extension FlatArray: Equatable where Element: Equatable {
    /// Equal when the elements are, wherever each array keeps them.
    public static func == (left: Self, right: Self) -> Bool {
        left.withUnsafeBufferPointer { l in right.withUnsafeBufferPointer { r in l.elementsEqual(r) } }
    }
}

/// A file mapped read-only into memory, unmapped when the last ``FlatArray`` cut from it goes.
///
/// The network files are replaced by renaming a new file over the old (never rewritten in
/// place), so a mapping keeps seeing the file it was made from.
final class MappedFile: @unchecked Sendable {
    // Unchecked: the bytes are never written (`PROT_READ`).
    let bytes: UnsafeRawBufferPointer

    /// Maps the open file `descriptor` of `size` bytes.
    /// - Returns: `nil` with `errno` set when the system refuses.
    init?(descriptor: Int32, size: Int) {
        guard let start = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), start != MAP_FAILED else {
            return nil
        }
        bytes = UnsafeRawBufferPointer(start: start, count: size)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
    }
}
