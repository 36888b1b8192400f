import Foundation
import SuginamiCore

extension Bundle {
    /// This module's resources, or `nil` when the program was installed without them (then
    /// the bundled-data entry points throw their "bundled resource is missing" errors).
    static var suginamiKit: Bundle? { resourceBundleIsInstalled("SuginamiKit_SuginamiKit") ? .module : nil }
}
