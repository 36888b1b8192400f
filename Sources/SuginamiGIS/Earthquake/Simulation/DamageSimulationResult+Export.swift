import Foundation
import SuginamiKit

extension DamageSimulationResult {
    /// Per 250 m cell: mesh code, centre, buildings, intensities, and per state mean/p5/p50/p95.
    public func cellsCSV() -> String {
        var header = ["mesh_code", "longitude", "latitude", "buildings", "median_intensity", "mean_intensity"]
        for state in states {
            header += [
                "\(state.rawValue)_mean", "\(state.rawValue)_p5", "\(state.rawValue)_p50", "\(state.rawValue)_p95",
            ]
        }
        if fire != nil { header += ["burnt_mean", "burnt_p5", "burnt_p50", "burnt_p95"] }
        let rows = cells.enumerated().map { index, cell in
            [
                cell.mesh, format(cell.centre.longitude, 6), format(cell.centre.latitude, 6), String(cell.buildings),
                format(cell.medianIntensity, 3), format(cell.meanIntensity, 3),
            ]
                + (cell.damage + (fire.map { [$0.cells[index]] } ?? [])).flatMap {
                    [format($0.mean, 4), format($0.p5, 4), format($0.p50, 4), format($0.p95, 4)]
                }
        }
        return CSVTable.write(header: header, records: rows)
    }

    /// Per town: code, buildings, per state mean/p5/p50/p95, wooden and non-wooden deaths (at the
    /// run's occupancy, which its provenance states; empty where not computed).
    public func townsCSV() -> String {
        var header = ["town_code", "buildings"]
        for state in states {
            header += [
                "\(state.rawValue)_mean", "\(state.rawValue)_p5", "\(state.rawValue)_p50", "\(state.rawValue)_p95",
            ]
        }
        header += ["wooden_deaths", "non_wooden_deaths"]
        if fire != nil { header += ["burnt_mean", "burnt_p5", "burnt_p50", "burnt_p95", "fire_deaths"] }
        let rows = towns.enumerated().map { index, town -> [String] in
            var row = [town.town, String(town.buildings)]
            row += town.damage.flatMap { [format($0.mean, 4), format($0.p5, 4), format($0.p50, 4), format($0.p95, 4)] }
            row += [town.woodenDeaths.map { format($0, 4) } ?? "", town.nonWoodenDeaths.map { format($0, 4) } ?? ""]
            if let fire {
                let burnt = fire.towns[index]
                let values: [Double] = [burnt.mean, burnt.p5, burnt.p50, burnt.p95, fire.townDeaths[index]]
                row += values.map { format($0, 4) }
            }
            return row
        }
        return CSVTable.write(header: header, records: rows)
    }

    /// Per event: the expected number of buildings in each state.
    public func eventsCSV() -> String {
        let sampled = fire?.sampledBurnt
        return CSVTable.write(
            header: ["event"] + states.map { "\($0.rawValue)_buildings" }
                + (fire == nil ? [] : ["burnt_expected", "burnt_sampled", "fires_sampled"]),
            records: eventTotals.enumerated().map { event, totals in
                [String(event)] + totals.map { format($0, 4) }
                    + (fire.map {
                        [format($0.eventBurnt[event], 4), String(sampled![event]), String($0.ignitions[event].count)]
                    }
                        ?? [])
            })
    }

    /// Writes per building (input order): id, position, P(state), as CSV, a row at a time.
    /// - Throws: the file system's error.
    public func writeBuildingsCSV(_ buildings: [Building], to url: URL) throws {
        let file = try BufferedFileWriter(url)
        try file.write(
            CSVTable.line(
                ["building_id", "longitude", "latitude"] + states.map { "p_\($0.rawValue)" }
                    + (fire == nil ? [] : ["p_burnt"])))
        for (index, pair) in zip(buildings, buildingProbabilities).enumerated() {
            let (building, probabilities) = pair
            try file.write(
                CSVTable.line(
                    [building.id, format(building.position.longitude, 6), format(building.position.latitude, 6)]
                        + (probabilities + (fire.map { [$0.buildingProbabilities[index]] } ?? [])).map {
                            format(Double($0), 5)
                        }))
        }
        try file.close()
    }

    /// The cells as a GeoJSON FeatureCollection of 250 m squares (RFC 7946), with their results.
    public func cellsGeoJSON() throws -> Data {
        var features: [JSONValue] = []
        for (index, cell) in cells.enumerated() {
            guard let mesh = try? RegionalMeshCode(cell.mesh) else { continue }
            var properties: [(key: String, value: JSONValue)] = [
                ("mesh_code", .string(cell.mesh)), ("buildings", .number(Double(cell.buildings))),
                ("median_intensity", .number((cell.medianIntensity * 1000).rounded() / 1000)),
                ("mean_intensity", .number((cell.meanIntensity * 1000).rounded() / 1000)),
            ]
            let names = states.map(\.rawValue) + (fire == nil ? [] : ["burnt"])
            let ranges = cell.damage + (fire.map { [$0.cells[index]] } ?? [])
            for (name, range) in zip(names, ranges) {
                properties += [
                    ("\(name)_mean", .number(range.mean)), ("\(name)_p5", .number(range.p5)),
                    ("\(name)_p50", .number(range.p50)), ("\(name)_p95", .number(range.p95)),
                ]
            }
            features.append(
                .object([
                    ("type", .string("Feature")), ("geometry", GeoJSON.geometry(mesh.outline)),
                    ("properties", .object(properties)),
                ]))
        }
        return Data(GeoJSON.featureCollection(features).serialized().utf8)
    }

    private func format(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
}

extension DamageSimulationResult {
    /// Writes per building a GeoJSON point with P(state), a feature at a time.
    /// - Throws: the file system's error.
    public func writeBuildingsGeoJSON(_ buildings: [Building], to url: URL) throws {
        func rounded(_ probability: Float) -> JSONValue { .number((Double(probability) * 100_000).rounded() / 100_000) }
        let writer = try GeoJSONFeatureWriter(url)
        for (index, pair) in zip(buildings, buildingProbabilities).enumerated() {
            let (building, probabilities) = pair
            var properties: [(key: String, value: JSONValue)] = [("building_id", .string(building.id))]
            for (state, probability) in zip(states, probabilities) {
                properties.append(("p_\(state.rawValue)", rounded(probability)))
            }
            if let fire { properties.append(("p_burnt", rounded(fire.buildingProbabilities[index]))) }
            try writer.append(
                .object([
                    ("type", .string("Feature")), ("geometry", GeoJSON.geometry(building.position)),
                    ("properties", .object(properties)),
                ]))
        }
        try writer.finish()
    }

    /// Two GeoPackage layers: `damage_cells` (the 250 m squares with their results) and
    /// `damage_buildings` (points with P(state)).
    public func geoPackageLayers(_ buildings: [Building]) throws -> [GeoPackageLayer] {
        var cellColumns = [
            GeoPackageLayer.Column("mesh_code", "TEXT"), GeoPackageLayer.Column("buildings", "INTEGER"),
            GeoPackageLayer.Column("median_intensity", "REAL"), GeoPackageLayer.Column("mean_intensity", "REAL"),
        ]
        for name in states.map(\.rawValue) + (fire == nil ? [] : ["burnt"]) {
            for suffix in ["mean", "p5", "p50", "p95"] {
                cellColumns.append(GeoPackageLayer.Column("\(name)_\(suffix)", "REAL"))
            }
        }
        var cellFeatures: [GeoPackageLayer.Feature] = []
        for (index, cell) in cells.enumerated() {
            let shape = try RegionalMeshCode(cell.mesh).outline
            var values: [(any GeoPackageValueConvertible)?] = [
                cell.mesh, cell.buildings, cell.medianIntensity, cell.meanIntensity,
            ]
            for range in cell.damage + (fire.map { [$0.cells[index]] } ?? []) {
                values += [range.mean, range.p5, range.p50, range.p95]
            }
            cellFeatures.append(GeoPackageLayer.Feature(geometry: .multiPolygon(shape), values: values))
        }
        let buildingColumns =
            [GeoPackageLayer.Column("building_id", "TEXT")]
            + (states.map(\.rawValue) + (fire == nil ? [] : ["burnt"])).map {
                GeoPackageLayer.Column("p_\($0)", "REAL")
            }
        precondition(buildings.count == buildingProbabilities.count, "one building per result row")
        let probabilities = buildingProbabilities
        let burnt = fire?.buildingProbabilities
        // Made a row at a time as the writer goes: the ward's buildings never sit in memory as
        // features (about 20 MB).
        let buildingFeature: @Sendable (Int) -> GeoPackageLayer.Feature = { index in
            GeoPackageLayer.Feature(
                geometry: .point(buildings[index].position),
                values: [buildings[index].id]
                    + (probabilities[index] + (burnt.map { [$0[index]] } ?? [])).map {
                        Double($0) as (any GeoPackageValueConvertible)?
                    })
        }
        return [
            GeoPackageLayer(
                name: "damage_cells", description: "Damage per 250 m mesh: \(scenario), \(events) events, seed \(seed)",
                geometryType: "MULTIPOLYGON", columns: cellColumns, features: cellFeatures),
            GeoPackageLayer(
                name: "damage_buildings", description: "P(damage state) per building: \(scenario)",
                geometryType: "POINT", columns: buildingColumns, count: buildings.count, feature: buildingFeature),
        ]
    }
}

extension FireResult {
    /// Writes the sampled fire footprints of the first `events` events as GeoJSON, a feature at
    /// a time: one Polygon feature per building of each burned cluster (event, cluster, its
    /// size, where it caught, the building), its footprint (a square of the building's footprint
    /// side around its position where the register has no outline).
    ///
    /// One feature per building, not a MultiPolygon per cluster: neighbouring footprints share
    /// walls, and a MultiPolygon whose parts touch along an edge is invalid (OGC simple
    /// features); dissolving them would need a polygon union this library does not carry. A GIS
    /// dissolves by `event` and `cluster` when it needs one outline.
    public func writeFootprintsGeoJSON(buildings: [Building], model: FireModel, events: Int, to url: URL) throws {
        let writer = try GeoJSONFeatureWriter(url)
        var members: [Int32: [Int]] = [:]
        for (index, cluster) in clusterOfBuilding.enumerated() { members[cluster, default: []].append(index) }
        for event in 0..<min(events, ignitions.count) {
            for start in ignitions[event] {
                let cluster = clusterOfBuilding[Int(start)]
                for index in members[cluster] ?? [] {
                    guard let footprint = buildings[index].footprint ?? square(of: index, buildings, model) else {
                        continue
                    }
                    try writer.append(
                        .object([
                            ("type", .string("Feature")),
                            ("geometry", GeoJSON.geometry(try GeoMultiPolygon([footprint]))),
                            (
                                "properties",
                                .object([
                                    ("event", .number(Double(event))), ("cluster", .number(Double(cluster))),
                                    ("buildings", .number(Double(clusterSizes[Int(cluster)]))),
                                    ("caught_at", .string(buildings[Int(start)].id)),
                                    ("building", .string(buildings[index].id)),
                                ])
                            ),
                        ]))
                }
            }
        }
        try writer.finish()
    }

    /// A square of the building's footprint side around its position.
    private func square(of index: Int, _ buildings: [Building], _ model: FireModel) -> GeoPolygon? {
        let half = max(model.boxes[index].side, 2) / 2
        let p = buildings[index].position
        let dLat = half / 111_320
        let dLon = half / (111_320 * cos(p.latitude * .pi / 180))
        guard
            let ring = try? [(-1.0, -1.0), (1, -1), (1, 1), (-1, 1), (-1, -1)].map({
                try GeoPoint(latitude: p.latitude + $0.1 * dLat, longitude: p.longitude + $0.0 * dLon)
            })
        else { return nil }
        return try? GeoPolygon(rings: [ring])
    }
}
