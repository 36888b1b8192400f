import Foundation

/// The hierarchy arcs one direction of search needs, pruned by perfect customization, in rank
/// space: per rank, its arcs to higher ranks with their weights, packed for the inner loops of
/// ``PathQuery`` and the shelter sweep.
///
/// An arc whose basic weight exceeds the true distance between its ends (a shortcut whose best
/// path runs through a higher node) lies on no shortest up–down path (Dibbelt, Strasser and
/// Wagner, 2016, §5), so searches skip it; so does an arc of infinite weight.
struct SearchGraph: Sendable {
    /// One arc: the higher end, the hierarchy arc it is (for unpacking and next hops), and its
    /// weight in this direction.
    struct Arc: Sendable {
        var head: Int32
        var arc: Int32
        var weight: Double
    }

    /// The arcs of rank r are `offsets[r]..<offsets[r+1]`.
    let offsets: FlatArray<Int32>
    let arcs: FlatArray<Arc>

    /// Number of arcs kept.
    var count: Int { arcs.count }

    /// A search graph from its arrays (read and checked by ``RoadNetworkFile``).
    init(offsets: FlatArray<Int32>, arcs: FlatArray<Arc>) {
        self.offsets = offsets
        self.arcs = arcs
    }

    /// The arcs of `hierarchy` (upward lists) whose `basic` weight is within rounding of its
    /// `perfect` weight (the true distance).
    init(hierarchy: RoadHierarchy, basic: [Double], perfect: [Double]) {
        // Sums met in a different order may differ in the last bits; a relative tolerance far
        // above that and far below a centimetre keeps such arcs.
        @inline(__always) func kept(_ basic: Double, _ perfect: Double) -> Bool {
            basic.isFinite && basic <= perfect * (1 + 1e-9)
        }
        let n = hierarchy.nodeCount
        var offsets = [Int32](repeating: 0, count: n + 1)
        // Counted, then filled over raw buffers: this runs on every customization, and a
        // growing array of a few megabytes costs more in copies and page faults than the search.
        let count = zip(basic, perfect).reduce(0) { $0 + (kept($1.0, $1.1) ? 1 : 0) }
        let arcs = [Arc](unsafeUninitializedCapacity: count) { arcs, filled in
            offsets.withUnsafeMutableBufferPointer { offsets in
                hierarchy.upOffsets.withUnsafeBufferPointer { upOffsets in
                    hierarchy.upHeads.withUnsafeBufferPointer { heads in
                        basic.withUnsafeBufferPointer { basic in
                            perfect.withUnsafeBufferPointer { perfect in
                                for x in 0..<n {
                                    for arc in Int(upOffsets[x])..<Int(upOffsets[x + 1])
                                    where kept(basic[arc], perfect[arc]) {
                                        arcs.initializeElement(
                                            at: filled, to: Arc(head: heads[arc], arc: Int32(arc), weight: basic[arc]))
                                        filled += 1
                                    }
                                    offsets[x + 1] = Int32(filled)
                                }
                            }
                        }
                    }
                }
            }
        }
        self.offsets = FlatArray(offsets)
        self.arcs = FlatArray(arcs)
    }
}

extension CustomizedHierarchy {
    /// Perfect customization: the true distance between the ends of every hierarchy arc, each
    /// way, from the basic weights `up` and `down`.
    ///
    /// Nodes in falling rank; for x, every pair a < b of its upward neighbours (joined by an
    /// arc, since x's upward neighbours form a clique) offers x→a→b for the arc {x, b} and
    /// x→b→a for {x, a}, and the same backward. Arcs between higher nodes are final by then,
    /// and a shortest path from x starts with one of x's arcs, so one pass is exact. The two
    /// halves of the ``ParallelSplit`` read only their own ranks and those above them, so they
    /// run on two threads after the top.
    static func perfectWeights(hierarchy: RoadHierarchy, up: [Double], down: [Double]) -> (
        up: [Double], down: [Double]
    ) {
        var up = up
        var down = down
        up.withUnsafeMutableBufferPointer { up in
            down.withUnsafeMutableBufferPointer { down in
                hierarchy.upOffsets.withUnsafeBufferPointer { offsets in
                    hierarchy.upHeads.withUnsafeBufferPointer { heads in
                        let kernel = PerfectKernel(offsets: offsets, heads: heads, up: up, down: down)
                        let split = hierarchy.split
                        if split.bins.count == 2 {
                            kernel.run(split.top.reversed().map { $0..<($0 + 1) })
                            DispatchQueue.concurrentPerform(iterations: 2) { bin in
                                kernel.run(split.bins[bin].reversed())
                            }
                        } else {
                            kernel.run([0..<hierarchy.nodeCount])
                        }
                    }
                }
            }
        }
        return (up, down)
    }

    /// The pass of ``perfectWeights(hierarchy:up:down:)`` over rank ranges, each in falling
    /// rank.
    struct PerfectKernel: @unchecked Sendable {
        // Unchecked: each thread writes only the arcs of its own ranks and reads arcs of ranks
        // above, which are final before the threads start.
        let offsets: UnsafeBufferPointer<Int32>
        let heads: UnsafeBufferPointer<Int32>
        let up: UnsafeMutableBufferPointer<Double>
        let down: UnsafeMutableBufferPointer<Double>

        func run(_ ranges: [Range<Int>]) {
            for range in ranges {
                for x in range.reversed() {
                    let end = Int(offsets[x + 1])
                    for xa in Int(offsets[x])..<end {
                        let a = Int(heads[xa])
                        // Kept in registers through the loop: any value between the true
                        // distance and the basic weight serves the other arcs equally.
                        var upXA = up[xa]
                        var downXA = down[xa]
                        // a's upward list holds every later head of x's list (the clique), in
                        // the same ascending order: one merge finds each arc {a, b}.
                        var ab = Int(offsets[a])
                        for xb in (xa + 1)..<end {
                            let b = heads[xb]
                            while heads[ab] != b { ab += 1 }
                            // x → a → b and b → a → x for the arc {x, b}.
                            let upXB = min(up[xb], upXA + up[ab])
                            let downXB = min(down[xb], down[ab] + downXA)
                            up[xb] = upXB
                            down[xb] = downXB
                            // x → b → a and a → b → x for the arc {x, a}.
                            upXA = min(upXA, upXB + down[ab])
                            downXA = min(downXA, up[ab] + downXB)
                        }
                        up[xa] = upXA
                        down[xa] = downXA
                    }
                }
            }
        }
    }
}
