import SuginamiKit

/// Finds the 町丁目 containing a point, in well under a microsecond: a uniform grid over the
/// towns' extent lists, per cell, the towns whose bounding box meets it, so a lookup tests one
/// or two polygons instead of all of them.
///
/// A point on the shared edge of two towns is given to the first by census code.
public struct TownLocator: Sendable {
    private let towns: [Town]
    private let boxes: [BoundingBox]
    private let extent: BoundingBox?
    private let columns: Int
    private let rows: Int
    private let cells: [[Int32]]

    /// Builds the grid. `cellsPerSide` trades memory for speed; 128 suits a ward.
    public init(towns: [Town], cellsPerSide: Int = 128) {
        let sorted = towns.sorted { $0.code < $1.code }
        self.towns = sorted
        boxes = sorted.map(\.boundary.boundingBox)
        extent = boxes.dropFirst().reduce(boxes.first) { $0?.union($1) }
        columns = max(1, cellsPerSide)
        rows = max(1, cellsPerSide)
        var cells = [[Int32]](repeating: [], count: columns * rows)
        if let extent {
            for (index, box) in boxes.enumerated() {
                let (c0, r0) = Self.cell(box.minLongitude, box.minLatitude, extent, columns, rows)
                let (c1, r1) = Self.cell(box.maxLongitude, box.maxLatitude, extent, columns, rows)
                for row in r0...r1 {
                    for column in c0...c1 { cells[row * columns + column].append(Int32(index)) }
                }
            }
        }
        self.cells = cells
    }

    private static func cell(
        _ longitude: Double, _ latitude: Double, _ extent: BoundingBox, _ columns: Int, _ rows: Int
    )
        -> (Int, Int)
    {
        let width = max(extent.maxLongitude - extent.minLongitude, .ulpOfOne)
        let height = max(extent.maxLatitude - extent.minLatitude, .ulpOfOne)
        let column = Int((longitude - extent.minLongitude) / width * Double(columns))
        let row = Int((latitude - extent.minLatitude) / height * Double(rows))
        return (min(max(column, 0), columns - 1), min(max(row, 0), rows - 1))
    }

    /// The town containing the point, or `nil` outside every town.
    public func town(containing point: GeoPoint) -> Town? {
        guard let extent, extent.contains(point) else { return nil }
        let (column, row) = Self.cell(point.longitude, point.latitude, extent, columns, rows)
        for candidate in cells[row * columns + column] {
            let index = Int(candidate)
            if boxes[index].contains(point), towns[index].boundary.contains(point) { return towns[index] }
        }
        return nil
    }
}
