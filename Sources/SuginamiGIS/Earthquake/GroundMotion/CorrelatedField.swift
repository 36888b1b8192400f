/// How the within-event residuals of one event are correlated in space: the seam where a
/// municipality chooses (or brings) the method.
///
/// The engine makes one field per run over the 250 m cell centres (``CorrelationMethod/field(points:model:)``)
/// and asks it for each event's residuals. Two methods come with the SDK:
/// ``CholeskyCorrelation`` (exact, cost grows with the cube of the cells: the ward's few
/// hundred cells take milliseconds) and ``CirculantEmbeddingCorrelation`` (two FFTs per pair of
/// events whatever the cell count: for a metropolis-wide mesh).
///
/// ```swift
/// var scenario = try ScenarioFile.bundled(named: "toshin-nanbu-chokka-m7.3").scenario()
/// scenario.correlation = CirculantEmbeddingCorrelation(spacing: 0.25)
/// ```
public protocol CorrelationMethod: Sendable {
    /// One line for a run's provenance.
    var provenance: String { get }
    /// The field over `points` under `model`.
    /// - Throws: ``CorrelationError`` when the field cannot be made (too many points, say).
    func field(points: [GeoPoint], model: JayaramBaker2009) throws(CorrelationError) -> any CorrelatedField
}

/// Spatially correlated standard normal residuals at fixed points, event by event.
public protocol CorrelatedField: Sendable {
    /// Writes the residuals of `event` into `residuals` (one per point, in the points' order).
    /// - Parameters:
    ///   - event: the event number.
    ///   - random: the run's counter-based random numbers.
    ///   - independent: the event's independent standard normals, one per point, already
    ///     truncated; methods that transform independent normals use them, others draw their
    ///     own from `random`.
    ///   - truncation: residuals beyond ±`truncation` are not drawn (methods that draw their own
    ///     clamp to it).
    ///   - residuals: where the residuals go.
    func residuals(
        event: UInt64, random: CounterRandom, independent: UnsafeBufferPointer<Double>, truncation: Double,
        into residuals: UnsafeMutableBufferPointer<Double>)
}

/// The exact method: the Cholesky factor of the points' correlation matrix applied to
/// independent normals.
public struct CholeskyCorrelation: CorrelationMethod {
    /// Creates the method.
    public init() {}

    /// `exact Cholesky`.
    public var provenance: String { "exact Cholesky, jitter 1e-8" }

    /// The factorised field.
    public func field(points: [GeoPoint], model: JayaramBaker2009) throws(CorrelationError) -> any CorrelatedField {
        try CholeskyField(points: points, model: model)
    }
}

extension CholeskyField: CorrelatedField {
    /// The factor times the independent normals.
    public func residuals(
        event: UInt64, random: CounterRandom, independent: UnsafeBufferPointer<Double>, truncation: Double,
        into residuals: UnsafeMutableBufferPointer<Double>
    ) {
        correlate(independent, into: residuals)
    }
}

/// Circulant embedding on a regular grid covering the points, read at each point by bilinear
/// interpolation (see ``CirculantEmbeddingField``).
public struct CirculantEmbeddingCorrelation: CorrelationMethod {
    /// Grid spacing, km.
    public var spacing: Double

    /// The method at `spacing` km (0.25 matches the 250 m mesh).
    public init(spacing: Double = 0.25) { self.spacing = spacing }

    /// `circulant embedding at … km`.
    public var provenance: String { "circulant embedding (Dietrich & Newsam 1997) on a \(spacing) km grid" }

    /// The grid field over the points' bounding box.
    public func field(points: [GeoPoint], model: JayaramBaker2009) throws(CorrelationError) -> any CorrelatedField {
        guard let first = points.first else { throw .invalidGrid }
        var box = (points.map(\.latitude).min() ?? first.latitude, points.map(\.longitude).min() ?? first.longitude)
        var top = (points.map(\.latitude).max() ?? first.latitude, points.map(\.longitude).max() ?? first.longitude)
        // A single point still needs a grid cell around it.
        if top.0 - box.0 < 1e-4 { (box.0, top.0) = (box.0 - 1e-3, top.0 + 1e-3) }
        if top.1 - box.1 < 1e-4 { (box.1, top.1) = (box.1 - 1e-3, top.1 + 1e-3) }
        guard
            let bounds = try? BoundingBox(
                minLatitude: box.0, minLongitude: box.1, maxLatitude: top.0, maxLongitude: top.1)
        else { throw .invalidGrid }
        return GridCorrelatedField(
            grid: try CirculantEmbeddingField(covering: bounds, spacing: spacing, model: model), points: points)
    }
}

/// A circulant-embedding grid read at fixed points.
struct GridCorrelatedField: CorrelatedField {
    let grid: CirculantEmbeddingField
    let points: [GeoPoint]

    func residuals(
        event: UInt64, random: CounterRandom, independent: UnsafeBufferPointer<Double>, truncation: Double,
        into residuals: UnsafeMutableBufferPointer<Double>
    ) {
        let field = grid.sample(random, event: event).first
        for (index, point) in points.enumerated() {
            residuals[index] = min(max(grid.value(of: field, at: point), -truncation), truncation)
        }
    }
}
