import Foundation
import SuginamiKit
import Testing

@testable import SuginamiGIS

@Suite("Circulant embedding")
struct CirculantEmbeddingTests {
    @Test func fftEqualsTheDirectTransform() {
        let n = 64
        var random = SplitMix64(seed: 11)
        let inputReal = (0..<n).map { _ in random.nextUnit() - 0.5 }
        let inputImaginary = (0..<n).map { _ in random.nextUnit() - 0.5 }
        var real = inputReal
        var imaginary = inputImaginary
        let fft = FFT(size: n)
        real.withUnsafeMutableBufferPointer { re in
            imaginary.withUnsafeMutableBufferPointer { im in fft.transform(re.baseAddress!, im.baseAddress!, stride: 1)
            }
        }
        var worst = 0.0
        for k in 0..<n {
            var sumReal = 0.0
            var sumImaginary = 0.0
            for j in 0..<n {
                let angle = -2 * Double.pi * Double(j * k) / Double(n)
                sumReal += inputReal[j] * cos(angle) - inputImaginary[j] * sin(angle)
                sumImaginary += inputReal[j] * sin(angle) + inputImaginary[j] * cos(angle)
            }
            worst = max(worst, hypot(real[k] - sumReal, imaginary[k] - sumImaginary))
        }
        #expect(worst < 1e-12)
    }

    /// The embedding's own correlation (exact, no sampling) against the model over every lag of
    /// the grid: the error of the approximation. Then a sampling check of the variogram.
    @Test func embeddedCorrelationMatchesTheModel() throws {
        let box = try BoundingBox(minLatitude: 35.66, minLongitude: 139.58, maxLatitude: 35.73, maxLongitude: 139.68)
        let model = JayaramBaker2009(.pgv)
        let field = try CirculantEmbeddingField(covering: box, spacing: 0.25, model: model)
        #expect(field.clippedFraction < 1e-6, "clipped \(field.clippedFraction)")
        let embedded = field.embeddedCorrelation()
        let n = field.torusColumns.size
        var worst = 0.0
        for row in 0..<field.rows {
            for column in 0..<field.columns {
                let h = hypot(Double(row), Double(column)) * field.spacing
                worst = max(worst, abs(embedded[row * n + column] - model.correlation(distance: h)))
            }
        }
        #expect(worst < 1e-9, "largest correlation error over the grid: \(worst)")
        // Sampling: the semivariogram at one node (250 m), γ = 1 − ρ, from 20 fields.
        let random = CounterRandom(seed: 3)
        var sum = 0.0
        var pairs = 0
        for event in 0..<10 {
            let (first, second) = field.sample(random, event: UInt64(event))
            for sample in [first, second] {
                for row in 0..<field.rows {
                    for column in 0..<(field.columns - 1) {
                        let d = sample[row * field.columns + column + 1] - sample[row * field.columns + column]
                        sum += d * d / 2
                        pairs += 1
                    }
                }
            }
        }
        let expected = 1 - model.correlation(distance: 0.25)
        #expect(abs(sum / Double(pairs) / expected - 1) < 0.1, "γ(250 m) \(sum / Double(pairs)) vs \(expected)")
    }

    @Test func deterministicForASeedAndBadGridsRefused() throws {
        let box = try BoundingBox(minLatitude: 35.66, minLongitude: 139.58, maxLatitude: 35.70, maxLongitude: 139.62)
        let field = try CirculantEmbeddingField(covering: box, spacing: 0.1, model: JayaramBaker2009(.pgv))
        #expect(
            field.sample(CounterRandom(seed: 5), event: 2).first == field.sample(CounterRandom(seed: 5), event: 2).first
        )
        let point = try GeoPoint(latitude: 35.68, longitude: 139.60)
        let sample = field.sample(CounterRandom(seed: 5), event: 2).first
        #expect(field.value(of: sample, at: point).isFinite)
        #expect(throws: CorrelationError.invalidGrid) {
            try CirculantEmbeddingField(covering: box, spacing: 0, model: JayaramBaker2009(.pgv))
        }
        #expect(throws: CorrelationError.self) {
            try CirculantEmbeddingField(covering: box, spacing: 0.001, model: JayaramBaker2009(.pgv))
        }
    }
}
