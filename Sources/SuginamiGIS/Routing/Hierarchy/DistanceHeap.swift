/// A binary min-heap of (distance, node) pairs in two flat arrays, with lazy deletion (a node
/// may be pushed again with a shorter distance; stale pops are skipped by the caller).
///
/// Written by hand for the repair search: swift-collections' `Heap` is a min-max heap over a
/// generic element, and in this loop (tens of thousands of pushes per closure batch) the
/// plain binary heap on unboxed keys measured about twice as fast.
struct DistanceHeap {
    private var keys: [Double] = []
    private var nodes: [Int32] = []

    init(capacity: Int) {
        keys.reserveCapacity(capacity)
        nodes.reserveCapacity(capacity)
    }

    var isEmpty: Bool { keys.isEmpty }

    mutating func push(_ key: Double, _ node: Int32) {
        var index = keys.count
        keys.append(key)
        nodes.append(node)
        while index > 0 {
            let parent = (index - 1) >> 1
            if keys[parent] <= key { break }
            keys[index] = keys[parent]
            nodes[index] = nodes[parent]
            index = parent
        }
        keys[index] = key
        nodes[index] = node
    }

    mutating func pop() -> (key: Double, node: Int32) {
        let top = (keys[0], nodes[0])
        let lastKey = keys.removeLast()
        let lastNode = nodes.removeLast()
        let count = keys.count
        if count > 0 {
            var index = 0
            while true {
                let left = 2 * index + 1
                if left >= count { break }
                let right = left + 1
                let child = right < count && keys[right] < keys[left] ? right : left
                if keys[child] >= lastKey { break }
                keys[index] = keys[child]
                nodes[index] = nodes[child]
                index = child
            }
            keys[index] = lastKey
            nodes[index] = lastNode
        }
        return top
    }
}
