import Foundation
import SuginamiKit

/// A scenario as a JSON file: the rupture, the model and the variability settings, with a
/// description that says where the geometry comes from (or that it is an assumption).
public struct ScenarioFile: Sendable, Codable, Hashable {
    /// A position.
    public struct Position: Sendable, Codable, Hashable {
        /// Degrees north.
        public var latitude: Double
        /// Degrees east.
        public var longitude: Double
    }

    /// The name.
    public var name: String
    /// Where the geometry comes from.
    public var description: String
    /// Mw.
    public var magnitude: Double
    /// The top edge's first end.
    public var traceStart: Position
    /// Degrees.
    public var strike: Double
    /// Degrees.
    public var dip: Double
    /// Degrees.
    public var rake: Double
    /// km.
    public var topDepth: Double
    /// km.
    public var bottomDepth: Double
    /// km.
    public var length: Double
    /// The hypocentre.
    public var hypocentre: Position
    /// km.
    public var hypocentralDepth: Double
    /// The tectonic type.
    public var type: EarthquakeType
    /// The model variant (OpenQuake class name).
    public var model: SiMidorikawa1999.Variant
    /// σ_within / σ_between.
    public var withinBetweenRatio: Double
    /// Truncation in σ.
    public var truncation: Double
    /// Spatially correlated within-event residuals.
    public var correlated: Bool
    /// How they are correlated: `cholesky` (the default, exact) or `circulant-embedding`
    /// (a 250 m grid, for meshes too large for Cholesky).
    public var correlationMethod: String?
    /// Where each sourced value comes from (document, page, status), one line each.
    public var sources: [String]?
    /// Every value that is not from a source, and why it was chosen, one line each.
    public var assumptions: [String]?

    /// The scenarios shipped with the SDK, by name.
    public static func bundled(named name: String) throws(ScenarioFileError) -> ScenarioFile {
        guard Bundle.suginamiGIS != nil else {
            throw ScenarioFileError(
                file: name,
                reason:
                    "bundled resource is missing: SuginamiKit_SuginamiGIS.resources was not installed beside the program"
            )
        }
        guard
            let url = Bundle.suginamiGIS?.url(
                forResource: name, withExtension: "json", subdirectory: "Resources/scenarios")
        else {
            throw ScenarioFileError(
                file: name, reason: "no bundled scenario of that name (known: \(bundledNames.joined(separator: ", ")))")
        }
        return try load(url)
    }

    /// The names of the bundled scenarios.
    public static var bundledNames: [String] {
        // corelibs Foundation answers NSURLs here.
        let urls =
            Bundle.suginamiGIS?.urls(forResourcesWithExtension: "json", subdirectory: "Resources/scenarios") ?? []
        return urls.compactMap { url in url.deletingPathExtension?.lastPathComponent }.sorted()
    }

    /// Reads and checks a scenario file.
    public static func load(_ url: URL) throws(ScenarioFileError) -> ScenarioFile {
        guard let data = try? Data(contentsOf: url) else {
            throw ScenarioFileError(file: url.path, reason: "cannot read the file")
        }
        do {
            let file = try JSONDecoder().decode(ScenarioFile.self, from: data)
            _ = try file.scenario()
            return file
        } catch let error as ScenarioFileError {
            throw ScenarioFileError(file: url.path, reason: error.reason)
        } catch let DecodingError.keyNotFound(key, _) {
            throw ScenarioFileError(file: url.path, reason: "required field \"\(key.stringValue)\" is missing")
        } catch let DecodingError.dataCorrupted(context) {
            throw ScenarioFileError(
                file: url.path,
                reason: "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)")
        } catch {
            throw ScenarioFileError(file: url.path, reason: "\(error)")
        }
    }

    /// The simulation scenario.
    /// - Throws: ``ScenarioFileError`` for a position, rupture or model that makes no sense.
    public func scenario() throws(ScenarioFileError) -> DamageSimulation.Scenario {
        do {
            let rupture = try PlanarRupture(
                magnitude: magnitude,
                traceStart: try GeoPoint(latitude: traceStart.latitude, longitude: traceStart.longitude),
                strike: strike, dip: dip, rake: rake, topDepth: topDepth, bottomDepth: bottomDepth, length: length,
                hypocentre: try GeoPoint(latitude: hypocentre.latitude, longitude: hypocentre.longitude),
                hypocentralDepth: hypocentralDepth, type: type)
            guard SiMidorikawa1999.magnitudeRange.contains(magnitude) else {
                throw ScenarioFileError(file: name, reason: "magnitude \(magnitude) is outside the model's range")
            }
            guard model.earthquakeType == type else {
                throw ScenarioFileError(
                    file: name, reason: "model \(model.rawValue) is not for \(type.rawValue) earthquakes")
            }
            guard withinBetweenRatio.isFinite, withinBetweenRatio > 0, truncation.isFinite, truncation > 0 else {
                throw ScenarioFileError(file: name, reason: "withinBetweenRatio and truncation must be positive")
            }
            var scenario = DamageSimulation.Scenario(
                name: name, rupture: rupture, model: SiMidorikawa1999(model), withinBetweenRatio: withinBetweenRatio,
                truncation: truncation, correlated: correlated,
                notes: ["scenario description: \(description)"] + (sources ?? []).map { "scenario source: \($0)" }
                    + (assumptions ?? []).map { "scenario ASSUMPTION: \($0)" })
            switch correlationMethod {
            case nil, "cholesky": scenario.correlation = CholeskyCorrelation()
            case "circulant-embedding": scenario.correlation = CirculantEmbeddingCorrelation(spacing: 0.25)
            case let other?:
                throw ScenarioFileError(
                    file: name,
                    reason: "correlationMethod \"\(other)\" is not one of cholesky, circulant-embedding")
            }
            return scenario
        } catch let error as ScenarioFileError {
            throw error
        } catch {
            throw ScenarioFileError(file: name, reason: "\(error)")
        }
    }
}

/// A problem in a scenario file.
public struct ScenarioFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// Why.
    public var reason: String

    /// `file: reason`.
    public var description: String { "\(file): \(reason)" }
}
