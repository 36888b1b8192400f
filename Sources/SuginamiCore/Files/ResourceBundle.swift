import Foundation

/// Whether the resource bundle of a target (`PACKAGE_TARGET`, e.g. `SuginamiKit_SuginamiGIS`)
/// was installed beside the program, where SwiftPM's `Bundle.module` looks for it.
///
/// `Bundle.module` stops the program when the bundle is missing (a binary copied without its
/// bundles); asking this first lets every bundled-data entry point throw its documented error.
package func resourceBundleIsInstalled(_ name: String) -> Bool {
    let places = [Bundle.main.bundleURL, Bundle.main.resourceURL].compactMap { $0 }
    return places.contains { place in
        ["resources", "bundle"].contains { suffix in
            FileManager.default.fileExists(atPath: place.appendingPathComponent("\(name).\(suffix)").path)
        }
    }
}
