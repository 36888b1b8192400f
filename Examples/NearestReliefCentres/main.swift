import Foundation
import SuginamiKit

// Open (or create) a store, load the bundled Suginami data, and find the three relief
// centres (震災救援所) nearest to Suginami ward office.
let path = FileManager.default.temporaryDirectory.appendingPathComponent("tour-\(UUID().uuidString).sqlite").path
let store = try SuginamiStore(path: path)
try await SuginamiDataset.bundled().load(into: store)

let wardOffice = try GeoPoint(latitude: 35.6995, longitude: 139.6366)
for nearby in try await store.nearestFacilities(to: wardOffice, count: 3, kinds: [.reliefCentre]) {
    print("\(nearby.facility.name)\t\(Int(nearby.distance.rounded())) m\tcapacity \(nearby.facility.capacity ?? 0)")
}
