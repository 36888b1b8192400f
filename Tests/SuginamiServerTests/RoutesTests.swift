import Foundation
import SuginamiTestSupport
import Testing

/// `/routes` as a resident's phone asks it: from a tapped position, in their language.
@Suite("Routes")
struct RoutesTests {
    /// 阿佐ケ谷駅 (Asagaya station), on the synthetic network's extent.
    static let asagaya = "139.6359,35.7048"

    @Test(
        "A route from a position reaches an open relief centre, with instructions in the asked language",
        arguments: StoreBackend.allCases)
    func nearestCentre(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        let answer = try await HTTP.get(base + "/routes?from=\(Self.asagaya)&lang=en")
        #expect(answer.status == 200, "\(answer.text)")
        #expect(answer.header("Content-Type") == "application/geo+json")
        let feature = try answer.json
        #expect(feature["type"] as? String == "Feature")
        #expect((feature["geometry"] as? [String: Any])?["type"] as? String == "LineString")
        let properties = try #require(feature["properties"] as? [String: Any])
        #expect((properties["length_m"] as? Double ?? 0) > 0)
        #expect(properties["language"] as? String == "en")
        let instructions = try #require(properties["instructions"] as? [String])
        #expect(instructions.last?.contains("Arrive") == true)
        #expect((properties["network"] as? String)?.contains("SYNTHETIC") == true)
        let korean = try await HTTP.get(
            base + "/routes?from=\(Self.asagaya)", headers: ["Accept-Language": "fr;q=0.9, ko;q=0.8"])
        #expect(try (korean.json["properties"] as? [String: Any])?["language"] as? String == "ko")
        // No language we write: Japanese, the ward's.
        let japanese = try await HTTP.get(base + "/routes?from=\(Self.asagaya)", headers: ["Accept-Language": "fr"])
        #expect(try (japanese.json["properties"] as? [String: Any])?["language"] as? String == "ja")
    }

    @Test(
        "Bad positions get 400 with the reason; a position far from every road gets 422",
        arguments: StoreBackend.allCases)
    func badInput(_ backend: StoreBackend) async throws {
        let base = try await ServerFixture.shared(backend).base()
        let swapped = try await HTTP.get(base + "/routes?from=35.7048,139.6359")
        #expect(swapped.status == 400)
        #expect(swapped.text.contains("did you mean"))
        for query in ["", "from=abc", "from=139.6,35.7&room=0", "from=139.6,35.7&lang=fr", "from=139.6,35.7&to=1"] {
            let answer = try await HTTP.get(base + "/routes?" + query)
            #expect(answer.status == 400, "\(query): \(answer.text)")
        }
        // Sagami Bay: in Japan's ranges, off every road of the network.
        let sea = try await HTTP.get(base + "/routes?from=139.40,35.20")
        #expect(sea.status == 422)
        #expect(sea.text.contains("m from every road"))
    }
}
