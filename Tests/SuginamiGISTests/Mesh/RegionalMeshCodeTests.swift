import Foundation
import SuginamiKit
import Testing

@testable import SuginamiGIS

@Suite("Regional mesh codes (JIS X 0410)")
struct RegionalMeshCodeTests {
    let wardOffice: GeoPoint

    init() throws { wardOffice = try GeoPoint(latitude: 35.6995, longitude: 139.6366) }

    @Test func everyLevelNestsAndContainsThePoint() throws {
        var previous: RegionalMeshCode?
        for level in RegionalMeshCode.Level.allCases {
            let mesh = try RegionalMeshCode(containing: wardOffice, level: level)
            #expect(mesh.code.count == level.digitCount)
            #expect(mesh.bounds.contains(wardOffice))
            #expect(try RegionalMeshCode(mesh.code).bounds == mesh.bounds)
            #expect(mesh.parent == previous)
            if let previous { #expect(previous.children.contains(mesh)) }
            previous = mesh
        }
        // The first two digits are 1.5 × latitude, the next two longitude − 100.
        #expect(try RegionalMeshCode(containing: wardOffice, level: .first).code == "5339")
    }

    @Test func childrenTileTheParentExactly() throws {
        for level in RegionalMeshCode.Level.allCases.dropLast() {
            let mesh = try RegionalMeshCode(containing: wardOffice, level: level)
            let children = mesh.children
            #expect(children.count == [64, 100, 4, 4, 4][level.rawValue - 1])
            #expect(Set(children).count == children.count)
            let box = try #require(
                BoundingBox(
                    covering: children.flatMap { child in
                        [
                            try GeoPoint(latitude: child.bounds.minLatitude, longitude: child.bounds.minLongitude),
                            try GeoPoint(latitude: child.bounds.maxLatitude, longitude: child.bounds.maxLongitude),
                        ]
                    }))
            #expect(abs(box.minLatitude - mesh.bounds.minLatitude) < 1e-12)
            #expect(abs(box.maxLongitude - mesh.bounds.maxLongitude) < 1e-12)
            #expect(children.allSatisfy { $0.parent == mesh })
        }
    }

    @Test func neighboursCrossParentBoundaries() throws {
        let mesh = try RegionalMeshCode("53394530")
        #expect(mesh.neighbours.count == 8)
        let east = try #require(mesh.neighbour(north: 0, east: 1))
        #expect(abs(east.bounds.minLongitude - mesh.bounds.maxLongitude) < 1e-12)
        // West of column 0 of a 2nd mesh is column 9 of the 2nd mesh to the west.
        let west = try #require(mesh.neighbour(north: 0, east: -1))
        #expect(west.code == "53394439")
        #expect(try RegionalMeshCode("0000").neighbour(north: -1, east: 0) == nil)
    }

    @Test(
        arguments: [
            ("53394a", "has characters other than digits"), ("53394", "has 5 digits"),
            ("533985", "digit 5: a 2nd-mesh row is 0–7"), ("533948", "digit 6: a 2nd-mesh column is 0–7"),
            ("533945300", "digit 9: a 1/2, 1/4 or 1/8 mesh quadrant is 1–4"),
            ("5339453015", "digit 10: a 1/2, 1/4 or 1/8 mesh quadrant is 1–4"),
        ])
    func invalidCodesSayWhy(code: String, reason: String) {
        #expect {
            try RegionalMeshCode(code)
        } throws: { error in
            (error as? MeshCodeError)?.description.contains(reason) == true
        }
    }

    @Test func pointsOutsideTheGridAreRefused() throws {
        #expect(throws: MeshCodeError.self) {
            try RegionalMeshCode(containing: try GeoPoint(latitude: 51.5, longitude: -0.12), level: .third)
        }
        #expect(throws: MeshCodeError.self) {
            try RegionalMeshCode(containing: try GeoPoint(latitude: 67, longitude: 140), level: .first)
        }
    }

    /// The same codes as the `jismesh` package (PyPI) for 100,000 random points over Japan, at
    /// every level. `make test` installs jismesh.
    @Test(.enabled(if: jismeshAvailable, "python3 with jismesh is not installed"))
    func agreesWithJismesh() throws {
        var random = SplitMix64(seed: 410)
        let points = try (0..<100_000).map { _ in
            try GeoPoint(latitude: 20 + random.nextUnit() * 26, longitude: 122 + random.nextUnit() * 32)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let input = directory.appendingPathComponent("points.csv")
        try points.map { "\($0.latitude),\($0.longitude)" }.joined(separator: "\n").write(
            to: input, atomically: true, encoding: .utf8)
        let script = """
            import sys, numpy as np, jismesh.utils as ju
            a = np.loadtxt(sys.argv[1], delimiter=",")
            codes = [ju.to_meshcode(a[:, 0], a[:, 1], level) for level in (1, 2, 3, 4, 5, 6)]
            for row in zip(*codes):
                print(" ".join(str(c) for c in row))
            """
        let output = try Self.python(["-c", script, input.path])
        let lines = output.split(separator: "\n")
        #expect(lines.count == points.count)
        var mismatches = 0
        for (point, line) in zip(points, lines) {
            let theirs = line.split(separator: " ").map(String.init)
            let ours = try RegionalMeshCode.Level.allCases.map {
                try RegionalMeshCode(containing: point, level: $0).code
            }
            if ours != theirs { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    static let jismeshAvailable = (try? python(["-c", "import jismesh"])) != nil

    static func python(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
        return String(decoding: data, as: UTF8.self)
    }
}
