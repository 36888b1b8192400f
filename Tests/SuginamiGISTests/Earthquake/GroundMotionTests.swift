import Foundation
import SuginamiTestSupport
import SuginamiKit
import Testing

@testable import SuginamiGIS

@Suite("Ground motion: Si & Midorikawa (1999), site amplification, JMA intensity")
struct GroundMotionTests {
    static let reference = Programs.repositoryRoot.appendingPathComponent(
        "Tests/SuginamiGISTests/Reference/gmpe_reference.csv")

    @Test func equalsOpenQuakeOnAll3240ReferenceValues() throws {
        let lines = try String(contentsOf: Self.reference, encoding: .utf8).split(separator: "\n")
        #expect(
            lines.first == "gsim,imt,mag,hypo_depth_km,rrup_km,vs30,ln_mean,sigma_total_ln,ln_mean_closed_form,rel_diff"
        )
        var checked = 0
        var worstMean = 0.0
        var worstSigma = 0.0
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",").map(String.init)
            let variant = try #require(SiMidorikawa1999.Variant(rawValue: fields[0]))
            let measure = try #require(IntensityMeasure(rawValue: fields[1]))
            let numbers = fields[2...7].map { Double($0)! }
            let model = SiMidorikawa1999(variant)
            let mean =
                try model.lnMean(measure, magnitude: numbers[0], hypocentralDepth: numbers[1], rupture: numbers[2])
                + SiMidorikawa1999.openQuakeSiteTerm(vs30: numbers[3])
            let sigma = try model.sigma(
                measure, magnitude: numbers[0], hypocentralDepth: numbers[1], rupture: numbers[2])
            worstMean = max(worstMean, abs(mean - numbers[4]) / abs(numbers[4]))
            worstSigma = max(worstSigma, abs(sigma - numbers[5]) / numbers[5])
            checked += 1
        }
        #expect(checked == 3_240)
        #expect(worstMean < 1e-6, "worst relative difference of ln mean: \(worstMean)")
        #expect(worstSigma < 1e-6, "worst relative difference of sigma: \(worstSigma)")
    }

    /// The four regional variants with the distances computed here from each site's position,
    /// against OpenQuake's values at 281 sites over Japan (both sides and both ends of the trench
    /// and the volcanic front).
    @Test func regionalVariantsEqualOpenQuakeWithTheirOwnDistances() throws {
        let file = Self.reference.deletingLastPathComponent().appendingPathComponent("gmpe_regional_reference.csv")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        #expect(
            lines.first
                == "gsim,imt,mag,hypo_depth_km,rrup_km,rhypo_km,lon,lat,vs30,x_tr_km,x_vf_km,ln_mean,sigma_total_ln")
        var checked = 0
        var worstMean = 0.0
        var worstSigma = 0.0
        var worstTrench = 0.0
        var worstFront = 0.0
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",").map(String.init)
            let model = SiMidorikawa1999(try #require(SiMidorikawa1999.Variant(rawValue: fields[0])))
            let measure = try #require(IntensityMeasure(rawValue: fields[1]))
            let n = fields[2...].map { Double($0)! }
            let (magnitude, depth, rrup, rhypo) = (n[0], n[1], n[2], n[3])
            let site = try GeoPoint(latitude: n[5], longitude: n[4])
            // The hypocentre is placed rhypo away (straight down suffices: only the distance counts).
            var region = RegionalDistances(site: site, hypocentre: site, hypocentralDepth: depth)
            worstTrench = max(worstTrench, abs(region.trench! - n[7]))
            worstFront = max(worstFront, abs(region.volcanicFront! - n[8]))
            region.hypocentral = rhypo
            let mean =
                try model.lnMean(measure, magnitude: magnitude, hypocentralDepth: depth, rupture: rrup, region: region)
                + SiMidorikawa1999.openQuakeSiteTerm(vs30: n[6])
            let sigma = try model.sigma(measure, magnitude: magnitude, hypocentralDepth: depth, rupture: rrup)
            worstMean = max(worstMean, abs(mean - n[9]) / max(abs(n[9]), 1))
            worstSigma = max(worstSigma, abs(sigma - n[10]) / n[10])
            checked += 1
        }
        #expect(checked == 4_496)
        // OpenQuake measures great-circle distances in float32: a few metres at 1,500 km.
        #expect(worstTrench < 0.01, "worst trench distance difference: \(worstTrench) km")
        #expect(worstFront < 0.01, "worst volcanic-front distance difference: \(worstFront) km")
        #expect(worstMean < 1e-6, "worst difference of ln mean: \(worstMean)")
        #expect(worstSigma < 1e-6, "worst relative difference of sigma: \(worstSigma)")
    }

    @Test func hypocentralDistanceCombinesTheSurfaceDistanceAndTheDepth() throws {
        let site = try GeoPoint(latitude: 35.6995, longitude: 139.6365)
        let hypocentre = try GeoPoint(latitude: 35.60, longitude: 139.75)
        let region = RegionalDistances(site: site, hypocentre: hypocentre, hypocentralDepth: 40)
        let surface = SphericalPoint(site).distance(to: SphericalPoint(hypocentre))
        #expect(abs(surface - 15.0) < 0.5)  // Suginami to the bay shore: about 15 km
        #expect(abs(region.hypocentral! - (surface * surface + 1_600).squareRoot()) < 1e-9)
    }

    @Test func magnitudeIsClippedAt8Point3() throws {
        let model = SiMidorikawa1999(.crustal)
        let at83 = try model.lnMean(.pgv, magnitude: 8.3, hypocentralDepth: 20, rupture: 30)
        #expect(try model.lnMean(.pgv, magnitude: 9.0, hypocentralDepth: 20, rupture: 30) == at83)
        #expect(try model.lnMean(.pgv, magnitude: 8.0, hypocentralDepth: 20, rupture: 30) < at83)
    }

    @Test func regionalCorrectionsFollowTheirEquations() throws {
        let base = SiMidorikawa1999(.intraslab)
        let northEast = SiMidorikawa1999(.intraslabNorthEast)
        let southWest = SiMidorikawa1999(.intraslabSouthWest)
        // Shallow and near: the trench factor is max(1, 10^-0.012 (X/300)^2.064) = 1, no deep term.
        let shallow = try base.lnMean(.pgv, magnitude: 7, hypocentralDepth: 25, rupture: 50)
        var region = RegionalDistances(trench: 120, volcanicFront: 40, hypocentral: 55)
        #expect(try northEast.lnMean(.pgv, magnitude: 7, hypocentralDepth: 25, rupture: 50, region: region) == shallow)
        // Deep (H = 50 km) at 400 km: both factors of eq. 3.5.2-1, the first in rhypo.
        region.hypocentral = 400
        let deep = try base.lnMean(.pgv, magnitude: 7, hypocentralDepth: 50, rupture: 400)
        let trenchFactor = pow(10, -0.012) * pow(400.0 / 300, 2.064) * pow(10, (-4.021e-5 * 120 + 9.905e-3) * 20)
        let corrected = try northEast.lnMean(.pgv, magnitude: 7, hypocentralDepth: 50, rupture: 400, region: region)
        #expect(abs(corrected - deep - log(trenchFactor)) < 1e-12)
        // Volcanic front (eq. 3.5.2-2): V1 = 4.28e-5 x_vf (H − 30) within 75 km, 3.21e-3 (H − 30) beyond.
        let near = try southWest.lnMean(.pgv, magnitude: 7, hypocentralDepth: 50, rupture: 400, region: region)
        #expect(abs(near - deep - 4.28e-5 * 40 * 20 * log(10)) < 1e-12)
        let far = try southWest.lnMean(
            .pga, magnitude: 7, hypocentralDepth: 50, rupture: 400, region: RegionalDistances(volcanicFront: 90))
        let farBase = try base.lnMean(.pga, magnitude: 7, hypocentralDepth: 50, rupture: 400)
        #expect(abs(far - farBase - 5.30e-3 * 20 * log(10)) < 1e-12)
        #expect(throws: GroundMotionError.missingRegionalDistance(.intraslabNorthEast)) {
            try northEast.lnMean(.pgv, magnitude: 7, hypocentralDepth: 50, rupture: 400)
        }
    }

    @Test func badInputIsAnError() {
        let model = SiMidorikawa1999(.crustal)
        #expect(throws: GroundMotionError.magnitudeOutOfRange(4.0, SiMidorikawa1999.magnitudeRange)) {
            try model.lnMean(.pgv, magnitude: 4.0, hypocentralDepth: 10, rupture: 10)
        }
        #expect(throws: GroundMotionError.self) {
            try model.lnMean(.pgv, magnitude: .nan, hypocentralDepth: 10, rupture: 10)
        }
        #expect(throws: GroundMotionError.invalidDistance(-1)) {
            try model.sigma(.pga, magnitude: 7, hypocentralDepth: 10, rupture: -1)
        }
        #expect(throws: GroundMotionError.unsupportedVs30(500)) { try SiMidorikawa1999.openQuakeSiteTerm(vs30: 500) }
        #expect(throws: GroundMotionError.invalidAVS30(0)) {
            try SiteAmplification.pgvFactor(avs30: 0, convention: .midorikawa1994)
        }
        #expect(throws: GroundMotionError.self) { try JMAIntensity.fromPGV(.nan) }
        #expect(throws: GroundMotionError.invalidPGV(0)) { try JMAIntensity.fromPGV(0) }
    }

    @Test func siteAmplificationConventions() throws {
        // Fujimoto & Midorikawa 2006 gives OpenQuake's 1.41 at 400 m/s; 松岡・翠川 1994 gives 1.31.
        #expect(abs(try SiteAmplification.pgvFactor(avs30: 400, convention: .fujimotoMidorikawa2006) - 1.4126) < 1e-4)
        #expect(abs(try SiteAmplification.pgvFactor(avs30: 400, convention: .midorikawa1994) - 1.3068) < 1e-4)
        for convention in SiteAmplification.Convention.allCases {
            #expect(abs(try SiteAmplification.pgvFactor(avs30: 600, convention: convention) - 1) < 1e-15)
            // Softer ground amplifies more.
            #expect(
                try SiteAmplification.pgvFactor(avs30: 200, convention: convention)
                    > SiteAmplification.pgvFactor(avs30: 300, convention: convention))
        }
    }

    @Test func jmaIntensityAndClasses() throws {
        #expect(abs(try JMAIntensity.fromPGV(1) - 2.68) < 1e-12)
        #expect(abs(try JMAIntensity.fromPGV(100) - (2.68 + 1.72 * 2)) < 1e-12)
        #expect(try JMAIntensity.fromPGV(1e6) == 7)
        #expect(abs(JMAIntensity.fromLnPGV(log(37.0)) - (try JMAIntensity.fromPGV(37))) < 1e-12)
        let cases: [(Double, JMAIntensity.Class)] = [
            (0.44, .zero), (0.45, .one), (3.44, .three), (3.45, .four), (4.5, .fiveLower), (4.99, .fiveUpper),
            (5.44, .fiveUpper),
            (5.45, .sixLower), (5.96, .sixUpper), (6.44, .sixUpper), (6.45, .seven),
        ]
        for (value, expected) in cases {
            #expect(JMAIntensity.Class(instrumental: value) == expected, "\(value)")
        }
        #expect(JMAIntensity.Class.sixLower.japanese == "震度6弱")
    }
}

@Suite("Planar ruptures")
struct PlanarRuptureTests {
    static var origin: GeoPoint {
        get throws { try GeoPoint(latitude: 35.60, longitude: 139.75) }
    }

    static func rupture(dip: Double, top: Double = 5, bottom: Double = 25) throws -> PlanarRupture {
        try PlanarRupture(
            magnitude: 7.3, traceStart: try origin, strike: 45, dip: dip, rake: 0, topDepth: top, bottomDepth: bottom,
            length: 50, hypocentre: try origin, hypocentralDepth: 15, type: .crustal)
    }

    /// rrup by sampling the plane densely, in the same local plane.
    static func sampledDistance(_ rupture: PlanarRupture, to site: GeoPoint) -> Double {
        let plane = LocalPlane(origin: rupture.traceStart)
        let (east, north) = plane.project(site)
        let strike = rupture.strike * .pi / 180
        let dip = rupture.dip * .pi / 180
        var best = Double.infinity
        for i in 0...400 {
            for j in 0...200 {
                let s = rupture.length * Double(i) / 400
                let t = rupture.width * Double(j) / 200
                let x = s * sin(strike) + t * cos(dip) * cos(strike)
                let y = s * cos(strike) - t * cos(dip) * sin(strike)
                let z = rupture.topDepth + t * sin(dip)
                let dx = east / 1000 - x
                let dy = north / 1000 - y
                best = min(best, (dx * dx + dy * dy + z * z).squareRoot())
            }
        }
        return best
    }

    @Test(arguments: [90.0, 60.0, 30.0])
    func ruptureDistanceEqualsDenseSampling(dip: Double) throws {
        let rupture = try Self.rupture(dip: dip)
        let suginami = try GeoPoint(latitude: 35.6995, longitude: 139.6366)
        for site in [suginami, try Self.origin, try GeoPoint(latitude: 35.75, longitude: 139.95)] {
            let exact = rupture.ruptureDistance(to: site)
            let sampled = Self.sampledDistance(rupture, to: site)
            // The sampled minimum is at most half a grid step (125 m along, 100 m down) too long.
            #expect(exact <= sampled + 1e-9 && sampled - exact < 0.2, "dip \(dip): \(exact) vs \(sampled)")
        }
        // On the trace of a vertical fault the distance is the top depth.
        #expect(abs(try Self.rupture(dip: 90).ruptureDistance(to: try Self.origin) - 5) < 1e-9)
    }

    @Test func nonsenseGeometryIsRefused() throws {
        #expect(throws: RuptureError.dip(0)) { try Self.rupture(dip: 0) }
        #expect(throws: RuptureError.dip(95)) { try Self.rupture(dip: 95) }
        #expect(throws: RuptureError.depths(top: 20, bottom: 10)) { try Self.rupture(dip: 45, top: 20, bottom: 10) }
        #expect(throws: RuptureError.notFinite("dip")) { try Self.rupture(dip: .nan) }
        #expect(throws: RuptureError.hypocentreDepth(15, top: 16, bottom: 30)) {
            try Self.rupture(dip: 45, top: 16, bottom: 30)
        }
    }

    @Test func wellsCoppersmithSizes() {
        let size = PlanarRupture.wellsCoppersmithSize(magnitude: 7.3)
        #expect(abs(size.length - pow(10, -2.44 + 0.59 * 7.3)) < 1e-12 && size.length > 60 && size.length < 80)
        #expect(size.width > 15 && size.width < 25)
    }
}
