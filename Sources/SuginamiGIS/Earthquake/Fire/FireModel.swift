import SuginamiKit

/// Fire following the earthquake over an inventory, prepared once: each building's
/// fire-resistance class, its footprint, the spread clusters (``FireClusters``) at the run's
/// wind, and the parameters. ``DamageSimulation`` runs it inside its event loop, from each
/// event's shaking: per building the flaming-fire probability p (``FireParameters``), per
/// cluster of n buildings P(burn) = 1 − exp(−Σ p) (TMG 2022 p. 6-25, the expected value of
/// "any ignition burns the whole cluster"), and one sampled realisation per event (which
/// clusters burned, and where each caught) for footprints.
public struct FireModel: Sendable {
    /// The parameters.
    public let parameters: FireParameters
    /// The spread-limit distances.
    public let distances: SpreadDistances
    /// Per building, its class.
    public let classes: [FireResistanceClass]
    /// Per building, its footprint box in ``plane``.
    public let boxes: [FootprintBox]
    /// The local plane of the boxes.
    public let plane: LocalPlane
    /// The clusters.
    public let clusters: FireClusters
    /// Every value and its source.
    public let provenance: [String]

    /// Prepares the model for `buildings` (the order is kept).
    /// - Throws: ``FireInputError``: a building without a class the rule can supply, a wind the
    ///   distance table does not cover, a bad parameter.
    public init(
        buildings: [Building], parameters: FireParameters, distances: SpreadDistances, rule: FireClassRule = .init(),
        firebreakLines: [[GeoPoint]] = [], firebreakDescription: String = "none"
    ) throws(FireInputError) {
        guard !buildings.isEmpty else { throw FireInputError(source: "fire model", reason: "no buildings") }
        let parameters = try parameters.validated()
        if let inputs = parameters.serviceSuppression, inputs.area == nil {
            throw FireInputError(
                source: "fire parameters", field: "area",
                reason: "the suppression formula needs the area (a scenario run takes its towns' total area)")
        }
        let classes = try rule.classes(of: buildings)
        var limitOf: [FireResistanceClass: SpreadDistances.Row] = [:]
        for resistance in Set(classes) {
            limitOf[resistance] = try distances.row(for: resistance, windSpeed: parameters.windSpeed)
        }
        // The plane at the inventory's mean position: within ~10 km its scale error is < 0.002 %.
        let latitude = buildings.reduce(0) { $0 + $1.position.latitude } / Double(buildings.count)
        let longitude = buildings.reduce(0) { $0 + $1.position.longitude } / Double(buildings.count)
        // The mean of valid positions is a valid position.
        let plane = LocalPlane(
            origin: (try? GeoPoint(latitude: latitude, longitude: longitude)) ?? buildings[0].position)
        let boxes = buildings.map { FootprintBox($0, in: plane) }
        let firebreaks =
            firebreakLines.isEmpty
            ? Firebreaks() : Firebreaks(lines: firebreakLines, in: plane, description: firebreakDescription)
        clusters = FireClusters(
            footprints: boxes, limits: classes.map { limitOf[$0]!.distance }, firebreaks: firebreaks,
            wind: parameters.windElongation)
        self.parameters = parameters
        self.distances = distances
        self.classes = classes
        self.boxes = boxes
        self.plane = plane
        let largest = (0..<clusters.count).map(clusters.size(of:)).max() ?? 0
        var lines = parameters.provenance
        for resistance in FireResistanceClass.allCases {
            guard let row = limitOf[resistance] else { continue }
            lines.append(
                "fire: spread-limit distance \(resistance.rawValue) = \(row.distance) m at \(parameters.windSpeed) m/s "
                    + "[\(row.status)] \(row.source) (\(distances.name)); a link needs a gap below both buildings' distances"
            )
        }
        if !rule.byStructure.isEmpty {
            lines.append(
                "fire: buildings without a recorded fire-resistance class take it by structure: \(rule.text) "
                    + "(ASSUMPTION given for this run)")
        }
        lines.append(
            "fire: clusters (延焼クラスター, TMG 2022 p. 6-21/6-25, after 加藤ら 2006): \(clusters.count) clusters, "
                + "largest \(largest) buildings, \(clusters.links) links, \(clusters.cutByFirebreaks) cut by firebreaks "
                + "(\(firebreaks.description)); gaps between footprint bounding boxes")
        lines.append(
            "fire: P(burn) of a cluster = 1 − exp(−Σ p) over its buildings (TMG 2022 p. 6-25); one sampled "
                + "realisation per event for footprints (a Poisson process of fires over the clusters in inventory "
                + "order, keyed by event: it changes with the inventory, the expectations do not)")
        provenance = lines
    }
}
