import Foundation

/// A read-only array of plain values that lives either in memory of its own or inside a mapped
/// network file, so that a network read from disk is used where it lies instead of being copied
/// out first (a city's network is 150 MB: copying it was a fifth of a cold start).
///
/// Reading an element checks its index, as `Array` does; inner loops take the whole buffer once
/// with ``withUnsafeBufferPointer(_:)``. Written by hand: `Array` cannot view memory it does not
/// own, and none of the packages we build on offers a collection over a file mapping.
public struct FlatArray<Element: BitwiseCopyable & Sendable>: @unchecked Sendable {
    // Unchecked: the elements are never written once the array is made (memory of its own, or
    // a mapping made `PROT_READ`), and `owner` keeps them alive as long as any copy of the array.
    //
    // A plain buffer and an owner rather than an enum of the two: reading an element then
    // neither switches nor retains. With the enum, a debug build took 3.4 s to check a saved
    // Suginami network (0.57 s now; a release build 0.18 s), and every daemon start in the
    // tests paid it.
    private let buffer: UnsafeBufferPointer<Element>
    private let owner: AnyObject

    /// An array holding a copy of `elements`.
    public init(_ elements: [Element]) {
        let owned = OwnedElements(copying: elements)
        buffer = UnsafeBufferPointer(owned.elements)
        owner = owned
    }

    /// The `count` elements at `byteOffset` in `file`, used where they lie; the caller has
    /// checked that they fit and are aligned.
    init(file: MappedFile, byteOffset: Int, count: Int) {
        let start = file.bytes.baseAddress.map { ($0 + byteOffset).assumingMemoryBound(to: Element.self) }
        buffer = UnsafeBufferPointer(start: start, count: count)
        owner = file
    }

    /// Calls `body` with the elements as one contiguous buffer.
    public func withUnsafeBufferPointer<Result, Failure: Error>(
        _ body: (UnsafeBufferPointer<Element>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        defer { withExtendedLifetime(owner) {} }
        return try body(buffer)
    }

    /// Whether the elements lie in a mapped file (rather than in memory of the array's own).
    var isMapped: Bool { owner is MappedFile }

    /// The elements as an `Array` (a copy).
    public var array: [Element] { withUnsafeBufferPointer { Array($0) } }
}

/// The memory of a ``FlatArray`` that is not in a file: allocated once, freed with the last
/// array that uses it.
private final class OwnedElements<Element: BitwiseCopyable>: @unchecked Sendable {
    // Unchecked: written only here, before any array can see it.
    let elements: UnsafeMutableBufferPointer<Element>

    init(copying array: [Element]) {
        elements = .allocate(capacity: array.count)
        _ = elements.initialize(fromContentsOf: array)
    }

    deinit { elements.deallocate() }
}

extension FlatArray: RandomAccessCollection {
    /// The first index, 0.
    public var startIndex: Int { 0 }
    /// One past the last index, `count`.
    public var endIndex: Int { count }

    /// The number of elements.
    public var count: Int { buffer.count }

    /// The element at `position`, which must be within `0..<count`.
    @inline(__always) public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < buffer.count, "FlatArray index out of range")
        return buffer[position]
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
