/// The hierarchy cut for two cores: disjoint elimination subtrees in two bins of about equal
/// size, which customize independently, and the nodes above them, which wait for both.
///
/// A node's lower neighbours all lie in its own elimination subtree, and nested dissection
/// numbers every subtree as one contiguous block of ranks; so each bin is a list of rank
/// ranges, and nothing in one bin reads what the other writes.
struct ParallelSplit: Sendable, Equatable {
    /// Per bin: rank ranges, each a whole subtree.
    var bins: [[Range<Int>]]
    /// The ranks above the subtrees, ascending.
    var top: [Int]

    /// Splits the elimination tree given by `parent` (−1 at a root; parents rank higher).
    init(parent: FlatArray<Int32>) {
        let n = parent.count
        var size = [Int](repeating: 1, count: n)
        var lowest = Array(0..<n)
        var childCount = [Int32](repeating: 0, count: n + 1)
        for r in 0..<n where parent[r] >= 0 {
            let p = Int(parent[r])
            size[p] += size[r]
            lowest[p] = min(lowest[p], lowest[r])
            childCount[p + 1] += 1
        }
        for r in 0..<n { childCount[r + 1] += childCount[r] }
        var cursor = childCount
        var children = [Int32](repeating: 0, count: max(n - 1, 0) + 1)
        for r in 0..<n where parent[r] >= 0 {
            let p = Int(parent[r])
            children[Int(cursor[p])] = Int32(r)
            cursor[p] += 1
        }
        // Open the largest subtree while it holds more than half the nodes.
        var candidates = (0..<n).filter { parent[$0] < 0 }
        var top: [Int] = []
        while let largest = candidates.indices.max(by: { size[candidates[$0]] < size[candidates[$1]] }),
            size[candidates[largest]] * 2 > n, childCount[candidates[largest] + 1] > childCount[candidates[largest]]
        {
            let node = candidates.remove(at: largest)
            top.append(node)
            for index in Int(childCount[node])..<Int(childCount[node + 1]) { candidates.append(Int(children[index])) }
        }
        let contiguous = candidates.allSatisfy { lowest[$0] == $0 - size[$0] + 1 }
        guard contiguous, candidates.count >= 2 else {
            bins = []
            self.top = Array(0..<n)
            return
        }
        var bins: [[Range<Int>]] = [[], []]
        var load = [0, 0]
        for root in candidates.sorted(by: { size[$0] > size[$1] }) {
            let bin = load[0] <= load[1] ? 0 : 1
            bins[bin].append((root - size[root] + 1)..<(root + 1))
            load[bin] += size[root]
        }
        self.bins = bins.map { $0.sorted { $0.lowerBound < $1.lowerBound } }
        self.top = top.sorted()
    }
}
