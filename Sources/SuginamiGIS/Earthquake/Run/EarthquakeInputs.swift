import Foundation
import SuginamiKit

/// One entry point per input file of the earthquake engine. Each takes a URL and throws the
/// SDK's one error shape, `InputFileError`, naming the file, the line or entry, the field and
/// the reason; a program needs one `catch` for all of them.
public enum EarthquakeInputs {
    /// A scenario: a JSON file (see `Documentation/`), or the name of a bundled one
    /// (``ScenarioFile/bundledNames``) when no file of that name exists.
    public static func scenario(_ nameOrPath: String) throws(InputFileError) -> ScenarioFile {
        do {
            return FileManager.default.fileExists(atPath: nameOrPath)
                ? try ScenarioFile.load(URL(fileURLWithPath: nameOrPath))
                : try ScenarioFile.bundled(named: nameOrPath)
        } catch {
            throw InputFileError(file: error.file, location: .file, reason: error.reason)
        }
    }

    /// A fragility set: CSV of class, damage state, median and log standard deviation.
    /// Returns the set and the text read (an output keeps a copy to replay the run).
    public static func fragility(_ url: URL) throws(InputFileError) -> (set: FragilitySet, text: String) {
        let text = try InputFile.text(url)
        do {
            return (try FragilitySet(csv: text, name: url.path), text)
        } catch {
            throw error.inputFileError
        }
    }

    /// Site data: CSV of `mesh_code,avs30` or `mesh_code,amplification`.
    /// Returns the model and the text read.
    public static func site(_ url: URL, convention: SiteAmplification.Convention) throws(InputFileError) -> (
        model: SiteModel, text: String
    ) {
        let text = try InputFile.text(url)
        do {
            return (try SiteModel(csv: text, name: url.path, convention: convention), text)
        } catch {
            throw error.inputFileError
        }
    }

    /// Non-collapse ignition rates: CSV of `intensity,rate`.
    public static func ignitionRates(_ url: URL) throws(InputFileError) -> FragilityCurve {
        let text = try InputFile.text(url)
        do {
            return try FireParameters.ignitionRates(csv: text, name: url.path)
        } catch {
            throw error.inputFileError
        }
    }

    /// Spread-limit distances by fire-resistance class and wind: CSV.
    public static func spreadDistances(_ url: URL) throws(InputFileError) -> SpreadDistances {
        let text = try InputFile.text(url)
        do {
            return try SpreadDistances(csv: text, name: url.path)
        } catch {
            throw error.inputFileError
        }
    }

    /// Hamada-type spread-time coefficients: JSON.
    public static func spreadCoefficients(_ url: URL) throws(InputFileError) -> SpreadTimeCoefficients {
        do {
            return try SpreadTimeCoefficients.load(url)
        } catch {
            throw error.inputFileError
        }
    }

    /// A mitigation scenario: JSON (retrofits, fireproofing, firebreaks, breakers, extinguishment).
    public static func mitigation(_ url: URL) throws(InputFileError) -> MitigationScenario {
        do {
            return try MitigationScenario.load(url)
        } catch {
            throw error.inputFileError
        }
    }
}

extension FragilityError {
    /// The same problem in the SDK's one input-error shape.
    public var inputFileError: InputFileError {
        InputFileError(
            file: file, location: line > 0 ? .line(line) : .file, field: field.isEmpty ? nil : field, reason: reason)
    }
}

extension SiteModelError {
    /// The same problem in the SDK's one input-error shape.
    public var inputFileError: InputFileError {
        InputFileError(file: file, location: line > 0 ? .line(line) : .file, reason: reason)
    }
}

extension FireInputError {
    /// The same problem in the SDK's one input-error shape (``source`` becomes the file).
    public var inputFileError: InputFileError {
        InputFileError(
            file: source, location: line > 0 ? .line(line) : .file, field: field.isEmpty ? nil : field,
            reason: reason)
    }
}
