import Foundation
import GRDB
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
        let rows = cells.map { cell in
            [
                cell.mesh, format(cell.centre.longitude, 6), format(cell.centre.latitude, 6), String(cell.buildings),
                format(cell.medianIntensity, 3), format(cell.meanIntensity, 3),
            ]
                + cell.damage.flatMap { [format($0.mean, 4), format($0.p5, 4), format($0.p50, 4), format($0.p95, 4)] }
        }
        return CSVTable.write(header: header, records: rows)
    }

    /// Per town: code, buildings, per state mean/p5/p50/p95, wooden and non-wooden deaths (5 a.m.;
    /// empty where not computed).
    public func townsCSV() -> String {
        var header = ["town_code", "buildings"]
        for state in states {
            header += [
                "\(state.rawValue)_mean", "\(state.rawValue)_p5", "\(state.rawValue)_p50", "\(state.rawValue)_p95",
            ]
        }
        header += ["wooden_deaths_5am", "non_wooden_deaths_5am"]
        let rows = towns.map { town in
            [town.town, String(town.buildings)]
                + town.damage.flatMap { [format($0.mean, 4), format($0.p5, 4), format($0.p50, 4), format($0.p95, 4)] }
                + [town.woodenDeaths.map { format($0, 4) } ?? "", town.nonWoodenDeaths.map { format($0, 4) } ?? ""]
        }
        return CSVTable.write(header: header, records: rows)
    }

    /// Per event: the expected number of buildings in each state.
    public func eventsCSV() -> String {
        CSVTable.write(
            header: ["event"] + states.map { "\($0.rawValue)_buildings" },
            records: eventTotals.enumerated().map { event, totals in [String(event)] + totals.map { format($0, 4) } })
    }

    /// Per building (input order): id, position, P(state).
    public func buildingsCSV(_ buildings: [Building]) -> String {
        let header = ["building_id", "longitude", "latitude"] + states.map { "p_\($0.rawValue)" }
        let rows = zip(buildings, buildingProbabilities).map { building, probabilities in
            [building.id, format(building.position.longitude, 6), format(building.position.latitude, 6)]
                + probabilities.map { format(Double($0), 5) }
        }
        return CSVTable.write(header: header, records: rows)
    }

    /// The cells as a GeoJSON FeatureCollection of 250 m squares (RFC 7946), with their results.
    public func cellsGeoJSON() throws -> Data {
        var features: [[String: Any]] = []
        for cell in cells {
            guard let mesh = try? RegionalMeshCode(cell.mesh) else { continue }
            let box = mesh.bounds
            let ring = [
                [box.minLongitude, box.minLatitude], [box.maxLongitude, box.minLatitude],
                [box.maxLongitude, box.maxLatitude], [box.minLongitude, box.maxLatitude],
                [box.minLongitude, box.minLatitude],
            ]
            var properties: [String: Any] = [
                "mesh_code": cell.mesh, "buildings": cell.buildings,
                "median_intensity": round(cell.medianIntensity * 1000) / 1000,
                "mean_intensity": round(cell.meanIntensity * 1000) / 1000,
            ]
            for (state, range) in zip(states, cell.damage) {
                properties["\(state.rawValue)_mean"] = range.mean
                properties["\(state.rawValue)_p5"] = range.p5
                properties["\(state.rawValue)_p50"] = range.p50
                properties["\(state.rawValue)_p95"] = range.p95
            }
            features.append([
                "type": "Feature", "geometry": ["type": "Polygon", "coordinates": [ring]], "properties": properties,
            ])
        }
        return try JSONSerialization.data(
            withJSONObject: ["type": "FeatureCollection", "features": features], options: [.sortedKeys])
    }

    private func format(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
}

extension DamageSimulationResult {
    /// Per building as a GeoJSON FeatureCollection of points with P(state).
    public func buildingsGeoJSON(_ buildings: [Building]) throws -> Data {
        let features: [[String: Any]] = zip(buildings, buildingProbabilities).map { building, probabilities in
            var properties: [String: Any] = ["building_id": building.id]
            for (state, probability) in zip(states, probabilities) {
                properties["p_\(state.rawValue)"] = (Double(probability) * 100_000).rounded() / 100_000
            }
            return [
                "type": "Feature",
                "geometry": [
                    "type": "Point", "coordinates": [building.position.longitude, building.position.latitude],
                ],
                "properties": properties,
            ]
        }
        return try JSONSerialization.data(
            withJSONObject: ["type": "FeatureCollection", "features": features], options: [.sortedKeys])
    }

    /// Two GeoPackage layers: `damage_cells` (the 250 m squares with their results) and
    /// `damage_buildings` (points with P(state)).
    public func geoPackageLayers(_ buildings: [Building]) throws -> [GeoPackageLayer] {
        var cellColumns = [
            GeoPackageLayer.Column("mesh_code", "TEXT"), GeoPackageLayer.Column("buildings", "INTEGER"),
            GeoPackageLayer.Column("median_intensity", "REAL"), GeoPackageLayer.Column("mean_intensity", "REAL"),
        ]
        for state in states {
            for suffix in ["mean", "p5", "p50", "p95"] {
                cellColumns.append(GeoPackageLayer.Column("\(state.rawValue)_\(suffix)", "REAL"))
            }
        }
        var cellFeatures: [GeoPackageLayer.Feature] = []
        for cell in cells {
            let box = try RegionalMeshCode(cell.mesh).bounds
            let corners = [
                (box.minLatitude, box.minLongitude), (box.minLatitude, box.maxLongitude),
                (box.maxLatitude, box.maxLongitude), (box.maxLatitude, box.minLongitude),
                (box.minLatitude, box.minLongitude),
            ]
            let ring = try corners.map { try GeoPoint(latitude: $0.0, longitude: $0.1) }
            let shape = try GeoMultiPolygon([try GeoPolygon(rings: [ring])])
            var values: [(any DatabaseValueConvertible & Sendable)?] = [
                cell.mesh, cell.buildings, cell.medianIntensity, cell.meanIntensity,
            ]
            for range in cell.damage { values += [range.mean, range.p5, range.p50, range.p95] }
            cellFeatures.append(GeoPackageLayer.Feature(geometry: .multiPolygon(shape), values: values))
        }
        let buildingColumns =
            [GeoPackageLayer.Column("building_id", "TEXT")]
            + states.map { GeoPackageLayer.Column("p_\($0.rawValue)", "REAL") }
        let buildingFeatures = zip(buildings, buildingProbabilities).map { building, probabilities in
            GeoPackageLayer.Feature(
                geometry: .point(building.position),
                values: [building.id] + probabilities.map { Double($0) as (any DatabaseValueConvertible & Sendable)? })
        }
        return [
            GeoPackageLayer(
                name: "damage_cells", description: "Damage per 250 m mesh: \(scenario), \(events) events, seed \(seed)",
                geometryType: "MULTIPOLYGON", columns: cellColumns, features: cellFeatures),
            GeoPackageLayer(
                name: "damage_buildings", description: "P(damage state) per building: \(scenario)",
                geometryType: "POINT", columns: buildingColumns, features: buildingFeatures),
        ]
    }
}
