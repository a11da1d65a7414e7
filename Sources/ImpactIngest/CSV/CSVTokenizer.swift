#if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
import _Builtin_intrinsics.intel
#endif

/// A CSV tokenizer: a pure, resumable state machine over bytes the caller owns, with no IO.
///
/// Modelled on rust-csv's `csv-core` reader. Each call to ``next(_:output:)`` reads from the
/// start of `input` until a field ends, a record ends or the input is used up, writes the
/// unescaped bytes of the current field to `output`, and returns what happened with the number
/// of input bytes consumed and output bytes written. Running out of input is a state
/// (``Event/needInput``), not an error: call again with the rest of the stream; an **empty**
/// input means the end of the stream. Records are identical whatever the chunking of the stream.
/// ``nextRecord(_:output:outputOffset:fieldEnds:)`` runs the same machine a record at a time,
/// reporting field ends in a caller-owned array (csv-core's `read_record`; the reader's fast path).
///
/// Rules (RFC 4180, lenient like real exports):
/// - records end at LF, CRLF or a bare CR; blank lines (at the start of a record) produce no
///   record;
/// - a field that starts with the quote byte is quoted: delimiters, CR and LF inside are data,
///   a doubled quote is one quote; after the closing quote, any text up to the next delimiter
///   or record end is appended to the field as unquoted data (`"ab"cd` → `abcd`);
/// - a quote that does not start a field is data (`ab"cd` → `ab"cd`);
/// - NUL bytes are dropped from the output and counted in ``nulBytes``;
/// - a quoted field still open at the end of input ends the record there and sets
///   ``unterminatedQuote``;
/// - a record ending with a delimiter, even at the end of input without a line end, has a
///   final empty field.
/// Lines: ``lineTerminators`` counts LF, CRLF and bare CR, also inside quoted fields, so
/// ``recordLine`` is the 1-based physical line where the current record starts.
///
/// Output: a call never writes more bytes than it consumes (unescaping only shrinks), so an
/// output with room for `input.count` bytes always suffices; a caller bounds memory by handing
/// over less input or by not keeping what was written for a record it rejects.
///
/// Speed: ordinary bytes are skipped 16 at a time with SSE2 on x86-64, else 8 at a time (SWAR
/// "has a byte below n / equal to b" tests on 64-bit words, see ``scan``), and each run is
/// copied once, short runs inline. ``nextRecord(_:output:outputOffset:fieldEnds:)`` reads
/// unquoted fields 64 bytes at a time (a mask of the delimiters and one of the control bytes per
/// block; the block stored to the output as loaded, the delimiters kept between values) and falls
/// back to the general machine for anything else (a quote at a field start, NUL bytes, the end of
/// a chunk).
public struct CSVTokenizer: Sendable {
    /// What ended a call to ``next(_:output:)``.
    public enum Event: Sendable, Equatable {
        /// The input was used up inside a record (or between records): call again with more.
        case needInput
        /// A field ended; the record goes on.
        case field
        /// A field ended, and with it the record.
        case record
        /// The end of the stream (empty input) with no record in progress.
        case end
    }

    enum State: UInt8, Sendable {
        case startRecord, startField, inField, inQuoted, quoteInQuoted
    }

    /// The field separator (ASCII).
    public let delimiter: UInt8
    /// The quote byte (ASCII).
    public let quote: UInt8

    private var state = State.startRecord
    private var lastWasCR = false
    private let delimiterWord: UInt64
    private let quoteWord: UInt64

    /// Line ends consumed so far (LF, CRLF and bare CR count one each).
    public private(set) var lineTerminators = 0
    /// The 1-based line where the current (or last) record starts.
    public private(set) var recordLine = 1
    /// NUL bytes dropped; the caller resets it (per record, typically).
    public var nulBytes = 0
    /// Set when the end of input closed an open quoted field; the caller resets it.
    public var unterminatedQuote = false
    /// The 1-based line of the opening quote of the last quoted field started (0 before any):
    /// where an unterminated quote was opened.
    public private(set) var quoteLine = 0

    /// A tokenizer for `delimiter` and `quote` (both ASCII, different, and not CR, LF or NUL).
    public init(delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8 = UInt8(ascii: "\"")) {
        precondition(delimiter < 0x80 && quote < 0x80 && delimiter != quote, "delimiter and quote must be distinct ASCII bytes")
        precondition(![0, 10, 13].contains(delimiter) && ![0, 10, 13].contains(quote), "delimiter or quote cannot be NUL, CR or LF")
        self.delimiter = delimiter
        self.quote = quote
        delimiterWord = UInt64(delimiter) &* Self.ones
        quoteWord = UInt64(quote) &* Self.ones
    }

    /// Whether a record has started and not ended (bytes consumed since the last record end).
    public var inRecord: Bool { state != .startRecord }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080
    private static let belowCR: UInt64 = 0x0E * ones

    @inline(__always)
    private static func zeroBytes(_ x: UInt64) -> UInt64 {
        (x &- ones) & ~x & highs
    }

    /// Index of the first byte at or after `from` that is NUL, CR, LF or `special`, or `count`.
    ///
    /// Eight bytes at a time: one test flags every byte below 0x0E (NUL, LF and CR among them)
    /// and one flags `special`; the lowest flag is exact. A flagged byte that is none of the
    /// four (TAB, other controls) is skipped and the scan goes on.
    @inline(__always)
    private static func scan(_ p: UnsafePointer<UInt8>, from: Int, count: Int, special: UInt8, specialWord: UInt64) -> Int {
        var i = from
        #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
        // SSE2 (every x86-64 has it): sixteen bytes per step, one bit per stop byte.
        if i + 16 <= count {
            let s = _mm_set1_epi8(Int8(bitPattern: special))
            let lf = _mm_set1_epi8(0x0A), cr = _mm_set1_epi8(0x0D), zero = _mm_setzero_si128()
            repeat {
                let v = UnsafeRawPointer(p + i).loadUnaligned(as: __m128i.self)
                let hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, s), _mm_cmpeq_epi8(v, lf)),
                                       _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, zero)))
                let bits = _mm_movemask_epi8(hit)
                if bits != 0 { return i + Int(bits.trailingZeroBitCount) }
                i += 16
            } while i + 16 <= count
        }
        #endif
        while true {
            while i + 8 <= count {
                let w = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
                let hit = ((w &- belowCR) & ~w & highs) | zeroBytes(w ^ specialWord)
                if hit != 0 {
                    i += hit.trailingZeroBitCount >> 3
                    break
                }
                i += 8
            }
            if i + 8 > count {
                while i < count, !isStop(p[i], special) { i += 1 }
                return i
            }
            if isStop(p[i], special) { return i }
            i += 1
        }
    }

    @inline(__always)
    private static func isStop(_ b: UInt8, _ special: UInt8) -> Bool {
        b == special || b == 0x0A || b == 0x0D || b == 0
    }

    /// Copies `p[from..<to]` to `out[w...]`; short runs (most CSV cells) without a memmove call.
    @inline(__always)
    private static func copy(_ p: UnsafePointer<UInt8>, _ from: Int, _ to: Int, _ out: UnsafeMutablePointer<UInt8>, _ w: inout Int) {
        let n = to - from
        if n <= 0 { return }
        let src = UnsafeRawPointer(p + from), dst = UnsafeMutableRawPointer(out + w)
        if n >= 8, n <= 16 {
            // Two overlapping words cover 8…16 bytes.
            let head = src.loadUnaligned(as: UInt64.self)
            let tail = src.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            dst.storeBytes(of: head, as: UInt64.self)
            dst.storeBytes(of: tail, toByteOffset: n - 8, as: UInt64.self)
        } else if n < 8 {
            var k = 0
            while k < n {
                (out + w)[k] = p[from + k]
                k += 1
            }
        } else {
            dst.copyMemory(from: src, byteCount: n)
        }
        w += n
    }

    /// Reads `input` from its start until a field or record ends or the input is used up.
    ///
    /// - Parameters:
    ///   - input: the next bytes of the stream; empty means the end of the stream.
    ///   - output: receives the unescaped bytes of the current field; must have room for
    ///     `input.count` bytes.
    /// - Returns: the event, the number of bytes of `input` consumed (all of them for
    ///   ``Event/needInput``) and the number of bytes written to `output`.
    public mutating func next(_ input: UnsafeRawBufferPointer, output: UnsafeMutableRawPointer)
        -> (event: Event, consumed: Int, written: Int) {
        guard let raw = input.baseAddress, input.count > 0 else { return (finish(), 0, 0) }
        var i = 0, w = 0
        let event = advance(raw.assumingMemoryBound(to: UInt8.self), input.count, &i,
                            output.assumingMemoryBound(to: UInt8.self), &w)
        return (event, i, w)
    }

    /// What ended a call to ``nextRecord(_:output:outputOffset:fieldEnds:)``.
    public enum RecordEvent: Sendable, Equatable {
        /// The input was used up (fields completed so far are reported).
        case needInput
        /// The record ended; its last field end is reported.
        case record
        /// `fieldEnds` is full; call again (with more room) to go on.
        case fieldEndsFull
        /// The end of the stream (empty input) with no record in progress.
        case end
    }

    /// Reads `input` until the current record ends or the input is used up, writing the
    /// fields' unescaped bytes into `output`, each field but the record's last followed by one
    /// delimiter byte (so field `k` starts one byte after field `k - 1` ends, and unquoted text
    /// is copied as it is), and the end of each field completed in this call into `fieldEnds`
    /// (as `outputOffset` + its end in `output`). Same state machine and rules as
    /// ``next(_:output:)``, without a return per field: the reader's fast path.
    ///
    /// `output` must have room for `input.count` bytes; `fieldEnds` must not be empty.
    /// - Returns: the event, input bytes consumed, output bytes written, field ends written.
    public mutating func nextRecord(_ input: UnsafeRawBufferPointer, output: UnsafeMutableRawPointer, outputOffset: Int,
                                    fieldEnds: UnsafeMutableBufferPointer<Int32>)
        -> (event: RecordEvent, consumed: Int, written: Int, fields: Int) {
        precondition(fieldEnds.count > 0, "fieldEnds must have room")
        guard let raw = input.baseAddress, input.count > 0 else {
            if finish() == .end { return (.end, 0, 0, 0) }
            fieldEnds[0] = Int32(truncatingIfNeeded: outputOffset)
            return (.record, 0, 0, 1)
        }
        let p = raw.assumingMemoryBound(to: UInt8.self)
        let out = output.assumingMemoryBound(to: UInt8.self)
        let n = input.count
        var i = 0, w = 0, f = 0
        // Read before `state` and `lastWasCR` are written below: the compiler loads the
        // delimiter and the quote in one load that spans those two bytes, and after the stores
        // it waited for them to reach the cache (store forwarding fails on a partial overlap),
        // a stall that perf put at ~4 % of the benchmark's cycles.
        let delimiter = self.delimiter, quote = self.quote, delimiterWord = self.delimiterWord
        while true {
            // Fast path: a run of unquoted fields, each found by one scan and copied once. It
            // does what the general machine does on such fields; anything else (a quote at a
            // field start, a NUL byte, blank lines) is left to the general machine.
            if state == .startRecord && i < n && p[i] != 0x0A && p[i] != 0x0D {
                lastWasCR = false
                recordLine = lineTerminators + 1
                state = .startField
            }
            if state == .startField {
                let run = Self.unquotedFields(p, n, &i, out, &w, fieldEnds.baseAddress!, fieldEnds.count, &f,
                                              Int32(truncatingIfNeeded: outputOffset), delimiter: delimiter, quote: quote,
                                              delimiterWord: delimiterWord)
                switch run {
                case .quote, .exhausted:
                    break   // the general machine goes on from the field start
                case .nul:
                    state = .inField
                case .fieldOpen:
                    state = .inField
                    return (.needInput, i, w, f)
                case .fieldEndsFull:
                    return (.fieldEndsFull, i, w, f)
                case .recordEnd(let b):
                    lineTerminators += 1
                    lastWasCR = b == 0x0D
                    state = .startRecord
                    return (.record, i, w, f)
                }
            }
            switch advance(p, n, &i, out, &w) {
            case .field:
                fieldEnds[f] = Int32(truncatingIfNeeded: outputOffset + w)
                f += 1
                // The delimiter follows the field in the output (room: it was read, not written).
                out[w] = delimiter
                w += 1
                if f == fieldEnds.count { return (.fieldEndsFull, i, w, f) }
            case .record:
                fieldEnds[f] = Int32(truncatingIfNeeded: outputOffset + w)
                return (.record, i, w, f + 1)
            case .needInput, .end:
                return (.needInput, i, w, f)
            }
        }
    }

    /// How a run of ``unquotedFields`` ended.
    private enum UnquotedRun {
        /// At a field start holding the quote byte.
        case quote
        /// At a field start, with the input used up.
        case exhausted
        /// At a NUL byte inside a field.
        case nul
        /// Inside a field, with the input used up.
        case fieldOpen
        /// After a delimiter, with `fieldEnds` full.
        case fieldEndsFull
        /// After the line-end byte `b` that ended the record.
        case recordEnd(UInt8)
    }

    /// The fast path of ``nextRecord(_:output:outputOffset:fieldEnds:)``: unquoted fields from
    /// the field start `i`, copied to the output with the delimiter after each, their ends
    /// written to `ends[f]` as `base + w`. On x86-64, blocks of 64 bytes (see below); near the
    /// end of the input, each field found by one vector compare (most CSV values are shorter
    /// than 16 bytes) and copied by one 16-byte move. Stops at anything the general machine must
    /// see (a quote at a field start, a NUL byte, a line end, the end of the input). Wrapping
    /// arithmetic: every index is bounded by `n`.
    ///
    /// `out` must have room for `n` bytes with `w <= i` (a call never writes more than it reads).
    @inline(__always)
    private static func unquotedFields(_ p: UnsafePointer<UInt8>, _ n: Int, _ iInOut: inout Int,
                                       _ out: UnsafeMutablePointer<UInt8>, _ wInOut: inout Int,
                                       _ ends: UnsafeMutablePointer<Int32>, _ endsCount: Int, _ fInOut: inout Int,
                                       _ base: Int32, delimiter: UInt8, quote: UInt8, delimiterWord: UInt64) -> UnquotedRun {
        var i = iInOut, w = wInOut, f = fInOut
        defer { iInOut = i; wInOut = w; fInOut = f }
        #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
        let dv = _mm_set1_epi8(Int8(bitPattern: delimiter))
        let lf = _mm_set1_epi8(0x0A), cr = _mm_set1_epi8(0x0D), zero = _mm_setzero_si128()
        // Blocks of 64 bytes: a mask of the delimiters and one of the bytes up to 0x0D (NUL, LF,
        // CR, other controls) per block, then every stop in it by its bit. Unquoted fields are
        // their bytes and the delimiters between them: the block is stored to the output as it
        // was loaded (shifted down by `delta`, what unescaping removed before), so a field costs
        // its end only. When the block has room for its field ends and its first control byte
        // (if any) ends the record or is a NUL, the delimiters before it are taken without
        // looking at their bytes; else (a TAB inside a value, ends nearly full) each stop is
        // looked at. Invariant: f < endsCount whenever an end is written (each path returns
        // .fieldEndsFull when f reaches it).
        if i < n && p[i] != quote {
            let controls = _mm_set1_epi8(0x0D)
            let delta = i &- w
            var q = i   // where the next block starts; the open field starts at i <= q
            while q &+ 65 <= n {   // one byte more: the start of a field after the block's last byte
                let (delimiters, others) = stopMasks(p + q, copyingTo: out + (q &- delta), delimiter: dv, controls: controls)
                let firstControl = others.trailingZeroBitCount
                // Room for 64 ends and one more: a block of 64 delimiters must leave `f` below
                // `endsCount` (every write of an end below assumes it; a fuzzed line of commas
                // once filled the room exactly and the next block wrote past it).
                if f &+ 64 < endsCount, firstControl == 64 || p[q &+ firstControl] == 0 || p[q &+ firstControl] == 0x0A
                    || p[q &+ firstControl] == 0x0D {
                    var bits = firstControl == 64 ? delimiters : delimiters & ((1 << UInt64(firstControl)) &- 1)
                    while bits != 0 {
                        let stop = q &+ bits.trailingZeroBitCount
                        bits &= bits &- 1
                        ends[f] = base &+ Int32(truncatingIfNeeded: stop &- delta)
                        f = f &+ 1
                        i = stop &+ 1
                        if p[i] == quote {
                            w = i &- delta
                            return .quote
                        }
                    }
                    if firstControl < 64 {
                        let stop = q &+ firstControl
                        let b = p[stop]
                        w = stop &- delta
                        i = stop
                        if b == 0 { return .nul }
                        i = i &+ 1
                        ends[f] = base &+ Int32(truncatingIfNeeded: w)
                        f = f &+ 1
                        return .recordEnd(b)
                    }
                } else {
                    var bits = delimiters | others
                    while bits != 0 {
                        let stop = q &+ bits.trailingZeroBitCount
                        bits &= bits &- 1
                        let b = p[stop]
                        // A control byte other than NUL, LF and CR (TAB…) is data.
                        if b != delimiter && b != 0 && b != 0x0A && b != 0x0D { continue }
                        i = stop
                        w = stop &- delta
                        if b == 0 { return .nul }
                        i = i &+ 1
                        ends[f] = base &+ Int32(truncatingIfNeeded: w)
                        f = f &+ 1
                        if b != delimiter { return .recordEnd(b) }
                        w = w &+ 1   // the delimiter
                        if f == endsCount { return .fieldEndsFull }
                        if p[i] == quote { return .quote }
                    }
                }
                q = q &+ 64
            }
            w = i &- delta   // the output holds everything before the open field
        }
        #endif
        while true {
            if i >= n { return .exhausted }
            if p[i] == quote { return .quote }
            let stop: Int
            #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
            if i &+ 16 <= n {
                let v = UnsafeRawPointer(p + i).loadUnaligned(as: __m128i.self)
                let hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, dv), _mm_cmpeq_epi8(v, lf)),
                                       _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, zero)))
                let bits = _mm_movemask_epi8(hit)
                // The first 16 bytes move at once (room: w + 16 <= i + 16 <= n).
                UnsafeMutableRawPointer(out + w).storeBytes(of: v, as: __m128i.self)
                if bits != 0 {
                    stop = i &+ Int(bits.trailingZeroBitCount)
                } else {
                    stop = scan(p, from: i &+ 16, count: n, special: delimiter, specialWord: delimiterWord)
                    var w16 = w &+ 16
                    copy(p, i &+ 16, stop, out, &w16)
                }
            } else {
                stop = scan(p, from: i, count: n, special: delimiter, specialWord: delimiterWord)
                var wc = w
                copy(p, i, stop, out, &wc)
            }
            #else
            stop = scan(p, from: i, count: n, special: delimiter, specialWord: delimiterWord)
            var wc = w
            copy(p, i, stop, out, &wc)
            #endif
            w = w &+ (stop &- i)
            i = stop
            if stop == n { return .fieldOpen }
            let b = p[stop]
            if b == 0 { return .nul }
            i = i &+ 1
            ends[f] = base &+ Int32(truncatingIfNeeded: w)
            f = f &+ 1
            if b != delimiter { return .recordEnd(b) }
            out[w] = b   // the delimiter follows the field in the output
            w = w &+ 1
            if f == endsCount { return .fieldEndsFull }
        }
    }

    #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
    /// Two masks over `p[0..<64]`, one bit per byte: the delimiters, and the other bytes up to
    /// 0x0D (NUL, LF and CR among them; the caller tells the other controls apart). Four SSE2
    /// loads of 16 bytes, each also stored to `out` (the output mirrors unquoted input).
    @inline(__always)
    private static func stopMasks(_ p: UnsafePointer<UInt8>, copyingTo out: UnsafeMutablePointer<UInt8>,
                                  delimiter dv: __m128i, controls: __m128i) -> (UInt64, UInt64) {
        let raw = UnsafeRawPointer(p), to = UnsafeMutableRawPointer(out)
        @inline(__always) func bits(_ offset: Int) -> (UInt64, UInt64) {
            let v = raw.loadUnaligned(fromByteOffset: offset, as: __m128i.self)
            to.storeBytes(of: v, toByteOffset: offset, as: __m128i.self)
            let d = _mm_cmpeq_epi8(v, dv)
            // v <= 0x0D (unsigned) exactly when min(v, 0x0D) == v; not the delimiter (TAB).
            let c = _mm_andnot_si128(d, _mm_cmpeq_epi8(_mm_min_epu8(v, controls), v))
            return (UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(d))), UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(c))))
        }
        let (d0, c0) = bits(0), (d1, c1) = bits(16), (d2, c2) = bits(32), (d3, c3) = bits(48)
        return (d0 | d1 << 16 | d2 << 32 | d3 << 48, c0 | c1 << 16 | c2 << 32 | c3 << 48)
    }

    #endif

    /// The state machine: from `input[i]` until a field or record ends or `i == n`; writes to
    /// `out[w...]`. Never returns ``Event/end`` (that is ``finish()``'s).
    @inline(__always)
    private mutating func advance(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int,
                                  _ out: UnsafeMutablePointer<UInt8>, _ w: inout Int) -> Event {
        while i < n {
            switch state {
            case .startRecord:
                let b = p[i]
                if b == 0x0D {
                    lineTerminators += 1
                    lastWasCR = true
                    i += 1
                } else if b == 0x0A {
                    if !lastWasCR { lineTerminators += 1 }
                    lastWasCR = false
                    i += 1
                } else {
                    lastWasCR = false
                    recordLine = lineTerminators + 1
                    state = .startField
                    fallthrough
                }

            case .startField:
                if p[i] == quote {
                    quoteLine = lineTerminators + 1
                    i += 1
                    state = .inQuoted
                    continue
                }
                state = .inField
                fallthrough

            case .inField:
                let start = i
                i = Self.scan(p, from: i, count: n, special: delimiter, specialWord: delimiterWord)
                Self.copy(p, start, i, out, &w)
                if i == n { return .needInput }
                let b = p[i]
                i += 1
                if b == delimiter {
                    state = .startField
                    return .field
                } else if b == 0 {
                    nulBytes += 1
                } else {
                    lineTerminators += 1
                    lastWasCR = b == 0x0D
                    state = .startRecord
                    return .record
                }

            case .inQuoted:
                // CR and LF are data here, counted as lines without breaking the run.
                var start = i
                while true {
                    let stop = Self.scan(p, from: i, count: n, special: quote, specialWord: quoteWord)
                    if stop > i { lastWasCR = false }
                    i = stop
                    if i == n { break }
                    let b = p[i]
                    if b == 0x0D {
                        lineTerminators += 1
                        lastWasCR = true
                        i += 1
                    } else if b == 0x0A {
                        if !lastWasCR { lineTerminators += 1 }
                        lastWasCR = false
                        i += 1
                    } else {
                        lastWasCR = false
                        Self.copy(p, start, i, out, &w)
                        i += 1
                        start = i
                        if b == 0 {
                            nulBytes += 1
                        } else {
                            state = .quoteInQuoted
                            break
                        }
                    }
                }
                if state == .inQuoted {
                    Self.copy(p, start, i, out, &w)
                    return .needInput
                }

            case .quoteInQuoted:
                let b = p[i]
                if b == quote {
                    // A doubled quote: the second one is data and the quoted field goes on.
                    out[w] = b
                    w += 1
                    i += 1
                    state = .inQuoted
                } else if b == delimiter {
                    i += 1
                    state = .startField
                    return .field
                } else if b == 0x0D || b == 0x0A {
                    i += 1
                    lineTerminators += 1
                    lastWasCR = b == 0x0D
                    state = .startRecord
                    return .record
                } else {
                    // Text after the closing quote: appended as unquoted data.
                    state = .inField
                }
            }
        }
        return .needInput
    }

    /// Starts afresh between records, as if `line` line ends had been read and the last of them
    /// was a CR when `afterCR` (so that an LF right after it is not counted again): how a reader
    /// resumes parsing on the line after an unterminated quote's line.
    public mutating func resume(afterLine line: Int, afterCR: Bool) {
        state = .startRecord
        lastWasCR = afterCR
        lineTerminators = line
        recordLine = line + 1
        nulBytes = 0
        unterminatedQuote = false
    }

    /// The end of the stream: closes an open record.
    private mutating func finish() -> Event {
        switch state {
        case .startRecord:
            return .end
        case .inQuoted:
            unterminatedQuote = true
        case .startField, .inField, .quoteInQuoted:
            break
        }
        state = .startRecord
        return .record
    }
}
