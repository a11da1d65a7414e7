/// A byte source that decodes a text input and yields UTF-8, whatever the input's encoding.
///
/// Behaviour:
/// - The encoding is the one forced by the caller or sniffed from the first MiB
///   (``EncodingDetection/detect(_:isComplete:)``: BOM, UTF-16 NUL pattern, UTF-8 validity,
///   else Windows-1252). A byte-order mark of that encoding is stripped from the output
///   (``hadBOM``); a forced encoding keeps another encoding's BOM as text.
/// - UTF-8 input is read straight into the caller's buffer and validated there (ASCII checked
///   16 bytes at a time), copied only from the first invalid or cut sequence on; Windows-1252
///   and UTF-16 are transcoded through a table / per code unit.
/// - Streaming with one fixed 256 KiB input buffer: a UTF-8 sequence, a UTF-16 code unit or a
///   surrogate pair split across reads of the wrapped source is completed by the next read; an
///   output buffer too small for the next character gets its bytes over several reads.
/// - Bytes that are invalid in the encoding (a malformed UTF-8 sequence, a lone surrogate, a
///   truncated code unit at the end) become U+FFFD, one per maximal invalid subpart (Unicode
///   §3.9, "U+FFFD substitution of maximal subparts"); ``invalidSequences`` counts them and
///   ``firstInvalidOffset`` locates the first one in the output, so the caller can warn.
///
/// Contract: errors of the wrapped source propagate; decoding itself never throws. Windows-1252
/// bytes 0x81 0x8D 0x8F 0x90 0x9D become the C1 code points U+0081… (see ``Windows1252``).
public final class DecodingByteSource: ByteSource {
    /// The encoding the input is read in.
    public let encoding: TextEncoding
    /// Whether the input started with a byte-order mark of ``encoding`` (not part of the output).
    public let hadBOM: Bool
    /// Invalid sequences replaced by U+FFFD so far.
    public private(set) var invalidSequences = 0
    /// Offset in the UTF-8 output of the first U+FFFD replacement, if any.
    public private(set) var firstInvalidOffset: Int?
    /// UTF-8 bytes returned so far.
    public private(set) var decodedBytes = 0

    /// Bytes of the input buffer (and at most read at once): the CSV reader's buffer size.
    static let inputBufferSize = 256 << 10

    /// Bytes sniffed for the encoding when it is not forced.
    public static let sniffLength = 1 << 20

    private let source: PeekableSource
    private let raw: UnsafeMutableRawBufferPointer
    private var rawStart = 0
    private var rawEnd = 0
    private var sourceEnded = false
    /// Output bytes of a character that did not fit in the caller's buffer.
    private var pending: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
    private var pendingStart = 0
    private var pendingEnd = 0
    /// Output offset of the first byte the current conversion writes.
    private var outputBase = 0

    public var storedBytesRead: Int { source.storedBytesRead }

    /// Reads from `source`, in `forced` encoding or the sniffed one. Throws what the source throws
    /// while its BOM is skipped (sniffing itself defers source errors, see ``PeekableSource``).
    public init(_ source: PeekableSource, forced: TextEncoding? = nil) throws {
        self.source = source
        let bomLength: Int
        if let forced {
            let head = try source.peek(upTo: 3)
            let bom = EncodingDetection.byteOrderMark(head)
            bomLength = bom?.encoding == forced ? bom!.bomLength : 0
            encoding = forced
        } else {
            let sample = try source.peek(upTo: Self.sniffLength)
            let detected = EncodingDetection.detect(sample, isComplete: sample.count < Self.sniffLength)
            encoding = detected.encoding
            bomLength = detected.bomLength
        }
        hadBOM = bomLength > 0
        raw = .allocate(byteCount: Self.inputBufferSize, alignment: 16)
        var skipped = 0
        while skipped < bomLength {
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<(bomLength - skipped)]))
            if n == 0 { break }
            skipped += n
        }
    }

    deinit {
        raw.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let outBase = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let out = outBase.assumingMemoryBound(to: UInt8.self)
        if encoding == .utf8, pendingStart == pendingEnd, rawStart == rawEnd, !sourceEnded, buffer.count >= 4 {
            if let n = try readUTF8InPlace(out, capacity: buffer.count) { return n }
        }
        var o = 0
        while pendingStart < pendingEnd, o < buffer.count {
            out[o] = pendingByte(pendingStart)
            pendingStart += 1
            o += 1
        }
        while o < buffer.count {
            if rawStart < rawEnd || sourceEnded {
                outputBase = decodedBytes + o
                let step = convert(out + o, capacity: buffer.count - o)
                o += step.written
                if step.outputFull {
                    if step.written == 0 {
                        outputBase = decodedBytes + o
                        o += convertIntoPending(out + o, capacity: buffer.count - o)
                    }
                    continue
                }
                if rawStart == rawEnd, sourceEnded { break }
            }
            // More input is needed: hand over what we have rather than block.
            if o > 0 || sourceEnded { break }
            if rawStart > 0 {
                let left = rawEnd - rawStart
                if left > 0 { raw.baseAddress!.copyMemory(from: raw.baseAddress! + rawStart, byteCount: left) }
                rawStart = 0
                rawEnd = left
            }
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[rawEnd...]))
            if n == 0 { sourceEnded = true } else { rawEnd += n }
        }
        decodedBytes += o
        return o
    }

    /// UTF-8 without a copy: reads from the source straight into `out` and validates there.
    /// The valid prefix (ending on a character boundary) is returned as is; what follows it (a
    /// character cut by the end of the read, or an invalid sequence and the rest) moves to the
    /// input buffer, where the next ``read(into:)`` converts it (U+FFFD for invalid sequences).
    /// Returns nil when nothing valid was read (the caller's general path then goes on from the
    /// input buffer), 0 at the end of the source.
    ///
    /// Saves a copy of every byte of a UTF-8 input (~3 % of an analysis, perf).
    private func readUTF8InPlace(_ out: UnsafeMutablePointer<UInt8>, capacity: Int) throws -> Int? {
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: out, count: min(capacity, raw.count)))
        if n == 0 {
            sourceEnded = true
            return nil
        }
        let (valid, _) = UTF8Validation.scan(out, count: n, limit: n)
        if valid < n {
            // The rest fits: the read was at most the input buffer's size, which is empty.
            raw.baseAddress!.copyMemory(from: out + valid, byteCount: n - valid)
            rawStart = 0
            rawEnd = n - valid
        }
        guard valid > 0 else { return nil }
        decodedBytes += valid
        return valid
    }

    // MARK: - Conversion

    private struct Step {
        var written: Int
        var outputFull: Bool
    }

    /// Converts from the input buffer into `out`, advancing `rawStart`.
    private func convert(_ out: UnsafeMutablePointer<UInt8>, capacity: Int) -> Step {
        let input = (raw.baseAddress! + rawStart).assumingMemoryBound(to: UInt8.self)
        let count = rawEnd - rawStart
        let result: (read: Int, step: Step)
        switch encoding {
        case .utf8: result = convertUTF8(input, count, out, capacity)
        case .windows1252: result = convertWindows1252(input, count, out, capacity)
        case .utf16LE: result = convertUTF16(input, count, out, capacity, littleEndian: true)
        case .utf16BE: result = convertUTF16(input, count, out, capacity, littleEndian: false)
        }
        rawStart += result.read
        return result.step
    }

    /// The next character does not fit in the `capacity` (< 4) bytes left: decode it into a
    /// 4-byte scratch, copy what fits and keep the rest for the next read.
    private func convertIntoPending(_ out: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int {
        var scratch: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        let produced = withUnsafeMutableBytes(of: &scratch) { s in
            convert(s.baseAddress!.assumingMemoryBound(to: UInt8.self), capacity: 4).written
        }
        pending = scratch
        pendingStart = 0
        pendingEnd = produced
        var o = 0
        while pendingStart < pendingEnd, o < capacity {
            out[o] = pendingByte(pendingStart)
            pendingStart += 1
            o += 1
        }
        return o
    }

    private func pendingByte(_ i: Int) -> UInt8 {
        withUnsafeBytes(of: pending) { $0[i] }
    }

    @inline(__always)
    private func replacement(_ out: UnsafeMutablePointer<UInt8>, at o: Int) {
        out[o] = 0xEF; out[o + 1] = 0xBF; out[o + 2] = 0xBD
        if firstInvalidOffset == nil { firstInvalidOffset = outputBase + o }
        invalidSequences += 1
    }

    private func convertUTF8(_ input: UnsafePointer<UInt8>, _ count: Int, _ out: UnsafeMutablePointer<UInt8>,
                             _ capacity: Int) -> (Int, Step) {
        var i = 0, o = 0
        while true {
            let (valid, stop) = UTF8Validation.scan(input + i, count: count - i, limit: capacity - o)
            if valid > 0 {
                (out + o).update(from: input + i, count: valid)
                i += valid
                o += valid
            }
            switch stop {
            case .end:
                return (i, Step(written: o, outputFull: false))
            case .limit:
                return (i, Step(written: o, outputFull: true))
            case .incomplete:
                guard sourceEnded else { return (i, Step(written: o, outputFull: false)) }
                if capacity - o < 3 { return (i, Step(written: o, outputFull: true)) }
                replacement(out, at: o)
                o += 3
                i = count
            case .invalid(let length):
                if capacity - o < 3 { return (i, Step(written: o, outputFull: true)) }
                replacement(out, at: o)
                o += 3
                i += length
            }
        }
    }

    private func convertWindows1252(_ input: UnsafePointer<UInt8>, _ count: Int, _ out: UnsafeMutablePointer<UInt8>,
                                    _ capacity: Int) -> (Int, Step) {
        var i = 0, o = 0
        return Windows1252.utf8Table.withUnsafeBufferPointer { table in
            while i < count {
                while i + 8 <= count, o + 8 <= capacity {
                    let word = UnsafeRawPointer(input + i).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 != 0 { break }
                    UnsafeMutableRawPointer(out + o).storeBytes(of: word, as: UInt64.self)
                    i += 8
                    o += 8
                }
                if i >= count { break }
                let b = input[i]
                if b < 0x80 {
                    if o >= capacity { return (i, Step(written: o, outputFull: true)) }
                    out[o] = b
                    o += 1
                } else {
                    let entry = table[Int(b)]
                    let length = Int(entry >> 24)
                    if o + length > capacity { return (i, Step(written: o, outputFull: true)) }
                    out[o] = UInt8(truncatingIfNeeded: entry)
                    out[o + 1] = UInt8(truncatingIfNeeded: entry >> 8)
                    if length == 3 { out[o + 2] = UInt8(truncatingIfNeeded: entry >> 16) }
                    o += length
                }
                i += 1
            }
            return (i, Step(written: o, outputFull: false))
        }
    }

    private func convertUTF16(_ input: UnsafePointer<UInt8>, _ count: Int, _ out: UnsafeMutablePointer<UInt8>,
                              _ capacity: Int, littleEndian: Bool) -> (Int, Step) {
        @inline(__always) func unit(_ at: Int) -> UInt32 {
            littleEndian ? UInt32(input[at]) | UInt32(input[at + 1]) << 8
                         : UInt32(input[at]) << 8 | UInt32(input[at + 1])
        }
        var i = 0, o = 0
        let full = { (i: Int, o: Int) in (i, Step(written: o, outputFull: true)) }
        while i + 2 <= count {
            let u = unit(i)
            if u < 0x80 {
                if o >= capacity { return full(i, o) }
                out[o] = UInt8(u)
                o += 1
                i += 2
            } else if u < 0x800 {
                if o + 2 > capacity { return full(i, o) }
                out[o] = UInt8(0xC0 | u >> 6)
                out[o + 1] = UInt8(0x80 | u & 0x3F)
                o += 2
                i += 2
            } else if u >= 0xD800, u <= 0xDBFF {
                if i + 4 > count, !sourceEnded { break }   // wait for the low surrogate
                let low = i + 4 <= count ? unit(i + 2) : 0
                if low >= 0xDC00, low <= 0xDFFF {
                    if o + 4 > capacity { return full(i, o) }
                    let cp = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)
                    out[o] = UInt8(0xF0 | cp >> 18)
                    out[o + 1] = UInt8(0x80 | (cp >> 12) & 0x3F)
                    out[o + 2] = UInt8(0x80 | (cp >> 6) & 0x3F)
                    out[o + 3] = UInt8(0x80 | cp & 0x3F)
                    o += 4
                    i += 4
                } else {
                    if o + 3 > capacity { return full(i, o) }
                    replacement(out, at: o)
                    o += 3
                    i += 2
                }
            } else if u >= 0xDC00, u <= 0xDFFF {
                if o + 3 > capacity { return full(i, o) }
                replacement(out, at: o)
                o += 3
                i += 2
            } else {
                if o + 3 > capacity { return full(i, o) }
                out[o] = UInt8(0xE0 | u >> 12)
                out[o + 1] = UInt8(0x80 | (u >> 6) & 0x3F)
                out[o + 2] = UInt8(0x80 | u & 0x3F)
                o += 3
                i += 2
            }
        }
        if i + 1 == count, sourceEnded {
            // An odd byte at the end of the input: half a code unit.
            if o + 3 > capacity { return full(i, o) }
            replacement(out, at: o)
            o += 3
            i += 1
        }
        return (i, Step(written: o, outputFull: false))
    }
}
