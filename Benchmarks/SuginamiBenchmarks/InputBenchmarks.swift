import Benchmark
import Foundation
import SuginamiGIS
import SuginamiKit

/// Reading large inputs from outside in bounded memory: a 1,000,000-node OSM XML file
/// (target: ≥ 10× faster than Foundation's XMLParser, 5.5 min, and ≤ 1 GB) and a 1 GB building
/// register imported into a store (target: ≤ 300 MB peak whatever the file's size).
///
/// The files are generated on first use under the system's temporary directory (synthetic:
/// a grid of streets; random buildings in the ward's box) and kept for later runs.
func inputBenchmarks() {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("suginami-bench-inputs")

    Benchmark(
        "Input: OSM XML of 1,000,000 nodes (a 1,000 × 1,000 street grid) into the junction graph",
        configuration: .init(metrics: [.wallClock, .peakMemoryResident], maxIterations: 3)
    ) { benchmark in
        let url = try LargeInputs.osmGrid(in: directory, side: 1_000)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try OSMXMLReader.read(url)) }
        benchmark.stopMeasurement()
    }

    // Two sizes, to show that memory does not grow with the file.
    for (rows, size) in [(2_500_000, "2.5 million rows, 0.22 GB"), (10_000_000, "10 million rows, 0.87 GB")] {
        Benchmark(
            "Input: building register CSV of \(size), imported in one transaction",
            configuration: .init(metrics: [.wallClock, .peakMemoryResident], maxIterations: 1)
        ) { benchmark in
            let url = try LargeInputs.register(in: directory, rows: rows)
            let store = try SuginamiStore(
                path: directory.appendingPathComponent("import-\(UUID().uuidString).sqlite").path)
            benchmark.startMeasurement()
            let summary = try await store.importBuildingRegister(contentsOf: url)
            benchmark.stopMeasurement()
            precondition(summary.imported == rows, "imported \(summary.imported) of \(rows)")
            try store.close()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store.path + suffix) }
        }
    }
}

/// Generated inputs, written once.
enum LargeInputs {
    /// A square grid of `side` × `side` nodes 10 m apart with a residential way along every row
    /// and column, written as OpenStreetMap writes extracts: every node with its version,
    /// changeset, time and author, every tenth with a tag, and a building outline (a way that
    /// routing skips) for every street.
    static func osmGrid(in directory: URL, side: Int) throws -> URL {
        let url = directory.appendingPathComponent("grid-\(side)-v2.osm")
        if FileManager.default.fileExists(atPath: url.path) { return url }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let handle = try newFile(url)
        defer { try? handle.close() }
        var text =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\" generator=\"SuginamiKit benchmark\">\n"
        func flush() throws {
            if text.utf8.count > 1 << 22 {
                try handle.write(contentsOf: Data(text.utf8))
                text = ""
            }
        }
        let step = 0.0001
        for row in 0..<side {
            for column in 0..<side {
                let id = row * side + column + 1
                let position = "lat=\"\(35.6 + Double(row) * step)\" lon=\"\(139.5 + Double(column) * step)\""
                let metadata =
                    "version=\"3\" timestamp=\"2024-05-0\(1 + id % 9)T12:00:00Z\" changeset=\"\(1_000_000 + id / 7)\" "
                    + "uid=\"\(id % 5_000)\" user=\"mapper\(id % 5_000)\""
                if id % 10 == 0 {
                    text += "  <node id=\"\(id)\" \(metadata) \(position)><tag k=\"crossing\" v=\"zebra\"/></node>\n"
                } else {
                    text += "  <node id=\"\(id)\" \(metadata) \(position)/>\n"
                }
                try flush()
            }
        }
        var way = 1
        for line in 0..<side {
            for vertical in [false, true] {
                text += "  <way id=\"\(way)\" version=\"2\" timestamp=\"2024-05-01T12:00:00Z\" changeset=\"1\">"
                for position in 0..<side {
                    let id = vertical ? position * side + line + 1 : line * side + position + 1
                    text += "<nd ref=\"\(id)\"/>"
                }
                text +=
                    "<tag k=\"highway\" v=\"residential\"/><tag k=\"name\" v=\"通り \(way)\"/>"
                    + "<tag k=\"surface\" v=\"asphalt\"/></way>\n"
                way += 1
            }
            let corner = line * side + 1
            text +=
                "  <way id=\"\(1_000_000 + line)\"><nd ref=\"\(corner)\"/><nd ref=\"\(corner + 1)\"/>"
                + "<nd ref=\"\(corner + side + 1)\"/><nd ref=\"\(corner)\"/><tag k=\"building\" v=\"house\"/>"
                + "<tag k=\"building:levels\" v=\"2\"/></way>\n"
            try flush()
        }
        text += "</osm>\n"
        try handle.write(contentsOf: Data(text.utf8))
        return url
    }

    /// A register of `rows` random buildings in the ward's box, about 100 bytes a row.
    static func register(in directory: URL, rows: Int) throws -> URL {
        let url = directory.appendingPathComponent("register-\(rows).csv")
        if FileManager.default.fileExists(atPath: url.path) { return url }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let handle = try newFile(url)
        defer { try? handle.close() }
        var random = SplitMix64(seed: 7)
        var text = BuildingRegisterFormat.columns.joined(separator: ",") + "\n"
        for row in 0..<rows {
            let latitude = String(format: "%.6f", 35.66 + random.nextUnit() * 0.07)
            let longitude = String(format: "%.6f", 139.58 + random.nextUnit() * 0.10)
            let year = 1950 + Int(random.nextUnit() * 70)
            text +=
                "BENCH-\(row),\(latitude),\(longitude),wooden,\(year),2,\(60 + row % 140),detached_house,"
                + "bare_wooden,none,,\n"
            if text.utf8.count > 1 << 22 {
                try handle.write(contentsOf: Data(text.utf8))
                text = ""
            }
        }
        try handle.write(contentsOf: Data(text.utf8))
        return url
    }

    /// A new, empty file at `url`, open for writing.
    static func newFile(_ url: URL) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        return try FileHandle(forWritingTo: url)
    }
}
