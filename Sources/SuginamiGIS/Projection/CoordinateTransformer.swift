import CProj

/// A coordinate transformation between two coordinate reference systems, done by PROJ.
///
/// Axis order is normalised: geographic systems take and give (longitude, latitude) in
/// degrees, projected ones (easting, northing) in metres, whatever the EPSG definition says.
///
/// A transformer owns a PROJ context, which PROJ allows one thread at a time; the type is
/// therefore not `Sendable`. Make one per task (or clone one with ``makeCopy()``, which is
/// ~30× cheaper than creating a new one because it skips the proj.db lookup).
public final class CoordinateTransformer {
    private let context: OpaquePointer
    private let operation: OpaquePointer

    /// The source CRS as given.
    public let source: String
    /// The target CRS as given.
    public let target: String

    /// Creates a transformer between any two CRSs PROJ knows: `EPSG:6668`, `EPSG:6677`, a PROJ
    /// string or WKT.
    /// - Throws: ``CoordinateTransformerError/unknownCRS(_:_:)`` naming the CRS pair and PROJ's reason.
    public init(from source: String, to target: String) throws(CoordinateTransformerError) {
        guard let context = proj_context_create() else { throw .projFailure("proj_context_create failed") }
        guard let raw = proj_create_crs_to_crs(context, source, target, nil) else {
            let message = Self.lastError(context)
            proj_context_destroy(context)
            throw .unknownCRS("\(source) → \(target)", message)
        }
        defer { proj_destroy(raw) }
        guard let normalised = proj_normalize_for_visualization(context, raw) else {
            let message = Self.lastError(context)
            proj_context_destroy(context)
            throw .projFailure(message)
        }
        self.context = context
        self.operation = normalised
        self.source = source
        self.target = target
    }

    private init(context: OpaquePointer, operation: OpaquePointer, source: String, target: String) {
        self.context = context
        self.operation = operation
        self.source = source
        self.target = target
    }

    deinit {
        proj_destroy(operation)
        proj_context_destroy(context)
    }

    /// A copy with its own PROJ context, for use on another task or thread.
    public func makeCopy() throws(CoordinateTransformerError) -> CoordinateTransformer {
        guard let context = proj_context_create() else { throw .projFailure("proj_context_create failed") }
        guard let clone = proj_clone(context, operation) else {
            proj_context_destroy(context)
            throw .projFailure("proj_clone failed")
        }
        return CoordinateTransformer(context: context, operation: clone, source: source, target: target)
    }

    /// Transforms one coordinate pair forward (source → target).
    /// - Throws: ``CoordinateTransformerError/notTransformable(_:_:)`` when PROJ returns no result
    ///   (for example a latitude beyond ±90).
    public func transform(_ x: Double, _ y: Double) throws(CoordinateTransformerError) -> (x: Double, y: Double) {
        try run(x, y, direction: PJ_FWD)
    }

    /// Transforms one coordinate pair backward (target → source).
    public func inverse(_ x: Double, _ y: Double) throws(CoordinateTransformerError) -> (x: Double, y: Double) {
        try run(x, y, direction: PJ_INV)
    }

    /// Transforms many coordinate pairs forward in place, with one `proj_trans_generic` call.
    /// A pair with no image (NaN, out of the projection's domain) becomes NaN, NaN; the others
    /// are transformed all the same. Both buffers must have the same count.
    public func transform(xs: UnsafeMutableBufferPointer<Double>, ys: UnsafeMutableBufferPointer<Double>) {
        precondition(xs.count == ys.count, "both buffers need the same count")
        guard let x = xs.baseAddress, let y = ys.baseAddress else { return }
        let stride = MemoryLayout<Double>.stride
        proj_errno_reset(operation)
        _ = proj_trans_generic(operation, PJ_FWD, x, stride, xs.count, y, stride, ys.count, nil, 0, 0, nil, 0, 0)
        proj_errno_reset(operation)
        // PROJ marks failures with HUGE_VAL.
        for index in 0..<xs.count where !(xs[index].isFinite && ys[index].isFinite) {
            xs[index] = .nan
            ys[index] = .nan
        }
    }

    private func run(_ x: Double, _ y: Double, direction: PJ_DIRECTION) throws(CoordinateTransformerError)
        -> (x: Double, y: Double)
    {
        proj_errno_reset(operation)
        let result = proj_trans(operation, direction, proj_coord(x, y, 0, 0))
        guard result.xy.x.isFinite, result.xy.y.isFinite, proj_errno(operation) == 0 else {
            throw .notTransformable((x, y), Self.lastError(context))
        }
        return (result.xy.x, result.xy.y)
    }

    /// The PROJ library version, e.g. `9.1.1`.
    public static var projVersion: String { String(cString: proj_info().version) }

    private static func lastError(_ context: OpaquePointer) -> String {
        let code = proj_context_errno(context)
        guard let text = proj_context_errno_string(context, code) else { return "PROJ error \(code)" }
        return String(cString: text)
    }
}

/// Why PROJ could not do what was asked.
public enum CoordinateTransformerError: Error, Sendable, CustomStringConvertible {
    /// PROJ does not know one of the CRSs, or has no operation between them.
    case unknownCRS(String, String)
    /// The coordinate has no image (out of the projection's domain, NaN, …).
    case notTransformable((Double, Double), String)
    /// PROJ itself failed.
    case projFailure(String)

    /// A sentence saying what went wrong.
    public var description: String {
        switch self {
        case .unknownCRS(let pair, let reason): "cannot transform \(pair): \(reason)"
        case .notTransformable(let point, let reason): "cannot transform (\(point.0), \(point.1)): \(reason)"
        case .projFailure(let reason): "PROJ failed: \(reason)"
        }
    }
}
