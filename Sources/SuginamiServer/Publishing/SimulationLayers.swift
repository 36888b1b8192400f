import Foundation
import SuginamiGIS

extension FeatureCatalogue {
    /// What the layers say of the buildings behind their figures.
    static func caveat(_ buildings: ScenarioReport.BuildingsKind) -> String {
        switch buildings {
        case .synthetic:
            " Computed over SYNTHETIC buildings (generated from published stock statistics; no building register is public): figures show the method, not the ward's real damage."
        case .realFootprintsAssumedAttributes:
            " Computed over the ward's real building outlines and heights (3D都市モデル PLATEAU 2020, CC BY 4.0) whose structure, construction year and fire resistance are ASSUMED (no register is public): figures are estimates under stated assumptions, not the ward's damage estimate."
        case .register: ""
        }
    }

    /// The collections of a damage simulation written by `ScenarioRun` (`refd simulate`):
    /// `damage_cells` from the run directory's `cells.geojson` (per 250 m mesh cell: expected
    /// collapsed and burnt buildings with their 5 %, 50 % and 95 % values over the events) and
    /// `damage_towns` from the report directory's `towns.geojson` (per 町丁目, with the
    /// mitigation comparison when the run had one).
    ///
    /// - Parameters:
    ///   - run: the directory given to `--out`, or nil.
    ///   - report: the directory given to `--report`, or nil.
    ///   - buildings: what the buildings simulated are (generated, or real outlines with assumed
    ///     structure and age): the collections say so, with the figures.
    /// - Throws: `InputFileError` for a missing or malformed file, naming it and the feature.
    public static func simulationCollections(run: URL?, report: URL?, buildings: ScenarioReport.BuildingsKind) throws
        -> [PublishedCollection]
    {
        var scenario = "a damage simulation"
        if let run, let provenance = try? InputFile.text(run.appendingPathComponent("provenance.txt")),
            let line = provenance.split(separator: "\n").first
        {
            scenario = String(line)
        }
        let caveat = Self.caveat(buildings)
        var collections: [PublishedCollection] = []
        if let run {
            collections.append(
                try layer(
                    run.appendingPathComponent("cells.geojson"), id: "damage_cells", key: "mesh_code",
                    title: "被害想定 250 m メッシュ (simulated damage per 250 m cell)",
                    description: "Expected collapsed and burnt buildings per JIS X 0410 1/4 mesh cell, "
                        + "with their 5 %, 50 % and 95 % values over the simulated events. \(scenario)." + caveat))
        }
        if let report {
            collections.append(
                try layer(
                    report.appendingPathComponent("towns.geojson"), id: "damage_towns", key: "town_code",
                    title: "被害想定 町丁目別 (simulated damage per town)",
                    description: "Expected collapsed and burnt buildings and deaths per 町丁目 with their ranges, and "
                        + "the mitigation scenario's reductions with 95 % intervals when the run had one. \(scenario)."
                        + caveat))
        }
        return collections
    }

    private static func layer(_ url: URL, id: String, key: String, title: String, description: String) throws
        -> PublishedCollection
    {
        let file = url.lastPathComponent
        let features = try GeoJSON.features(in: try InputFile.data(url, limit: 1 << 30), file: url.path)
        var published: [PublishedFeature] = []
        for feature in features {
            guard case .string(let value)? = feature.properties[key], !value.isEmpty else {
                throw InputFileError(
                    file: url.path, location: .feature(feature.index), field: key,
                    reason: "is missing: \(file) names each feature by it")
            }
            let encoded = JSONValue.object([
                ("type", .string("Feature")), ("id", .string(value)), ("geometry", feature.geometry),
                ("properties", feature.properties),
            ])
            do { published.append(try PublishedFeature(encoded)) } catch {
                throw InputFileError(
                    file: url.path, location: .feature(feature.index), field: "geometry", reason: error.description)
            }
        }
        do {
            return try PublishedCollection(
                id: id, title: title, description: description, attribution: nil, features: published)
        } catch {
            throw InputFileError(file: url.path, location: .file, field: key, reason: error.description)
        }
    }
}
