import Foundation
import Testing
@testable import ImpactSynth

/// Same seed → same bytes (leak and truth); another seed → other bytes.
@Suite struct DeterminismTests {
    static let configs: [SynthConfig] = SynthShape.allCases.map {
        SynthConfig(seed: 11, records: 300, controllers: 4, shape: $0)
    } + [
        SynthConfig(seed: 11, records: 300, controllers: 3, shape: .frenchLab, gzip: true),
        SynthConfig(seed: 11, records: 300, controllers: 3, shape: .englishHeaders,
                    delimiter: UInt8(ascii: "\t"), lineEnding: .crlf, bom: true),
        SynthConfig(seed: 11, records: 300, controllers: 3, shape: .noHeader,
                    delimiter: UInt8(ascii: "|"), encoding: .windows1252, lineEnding: .lf),
        SynthConfig(seed: 11, records: 300, controllers: 3, shape: .jsonLinesNested, gzip: true),
    ]

    @Test(arguments: configs)
    func sameSeedGivesIdenticalBytes(config: SynthConfig) throws {
        let a = try generate(config)
        let b = try generate(config)
        #expect(a.leak == b.leak)
        #expect(a.truthBytes == b.truthBytes)
        #expect(a.leak.count > 1_000)
    }

    @Test(arguments: configs)
    func otherSeedGivesOtherBytes(config: SynthConfig) throws {
        var other = config
        other.seed = 12
        let a = try generate(config)
        let b = try generate(other)
        #expect(a.leak != b.leak)
    }

    /// The gzip file is the plain file compressed (streamed through zlib, windowBits 31).
    @Test func gzipHoldsThePlainBytes() throws {
        let plain = try generate(SynthConfig(seed: 5, records: 2_000, shape: .frenchLab))
        let gz = try generate(SynthConfig(seed: 5, records: 2_000, shape: .frenchLab, gzip: true))
        #expect(Array(gz.leak.prefix(2)) == [0x1F, 0x8B])
        #expect(gunzip(gz.leak) == plain.leak)
        #expect(gz.truth.format.compression == "gzip")
        #expect(gz.truth.file == "leak.csv.gz")
        #expect(gz.truth.controllers == plain.truth.controllers)
    }

    /// The dialect options reach the bytes.
    @Test func dialectOptionsAreApplied() throws {
        let crlf = try generate(SynthConfig(seed: 2, records: 50, shape: .frenchLab, lineEnding: .crlf))
        let lf = try generate(SynthConfig(seed: 2, records: 50, shape: .frenchLab, lineEnding: .lf))
        let headerEnd = crlf.leak.firstIndex(of: 0x0A)!
        #expect(crlf.leak[headerEnd - 1] == 0x0D)
        #expect(!lf.leak.contains(0x0D))
        let bom = try generate(SynthConfig(seed: 2, records: 50, shape: .englishHeaders, bom: true))
        #expect(Array(bom.leak.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let tab = try generate(SynthConfig(seed: 2, records: 50, shape: .englishHeaders,
                                           delimiter: UInt8(ascii: "\t")))
        #expect(tab.leak.prefix(40).contains(0x09))
        #expect(tab.truth.format.delimiter == #"\t"#)
    }

    @Test func invalidConfigurationsAreRejected() {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("impact-synth-never")
        #expect(throws: SynthError.self) {
            try SyntheticLeak.write(SynthConfig(records: 0), to: dir)
        }
        #expect(throws: SynthError.self) {
            try SyntheticLeak.write(SynthConfig(shape: .jsonArray, encoding: .windows1252), to: dir)
        }
        #expect(throws: SynthError.self) {
            try SyntheticLeak.write(SynthConfig(delimiter: UInt8(ascii: ":")), to: dir)
        }
        #expect(throws: SynthError.self) {
            try SyntheticLeak.write(SynthConfig(encoding: .windows1252, bom: true), to: dir)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path))
    }
}
