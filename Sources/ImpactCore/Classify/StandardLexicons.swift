import ImpactDetect
import ImpactIngest

/// The three lexicons every analysis classifies with (``TermLexicon/standard``,
/// ``HeaderLexicon/standard``, ``ValueShapeLexicon/standard``), built once per process from
/// the module's resource files before the first record.
///
/// Building them is serial work at the start of every analysis: about 100 M instructions,
/// 70 % of them the term lexicon's Aho–Corasick automaton (callgrind, a 2-record input).
/// ``load(threads:)`` builds the term lexicon on a second thread while the calling thread builds
/// the other two, so the start waits for the longest, not the sum.
enum StandardLexicons {
    /// Builds the three lexicons, or does nothing if they are built. With `threads` ≥ 2 the term
    /// lexicon is built on another thread (when the system starts one) and this returns once
    /// all three are ready. Each lexicon is built exactly once either way (a Swift global's
    /// one-time initialisation: a second thread reaching it waits for the first).
    static func load(threads: Int) {
        var termsReady: BoundedQueue<Bool>?
        if threads >= 2 {
            let queue = BoundedQueue<Bool>(capacity: 1)
            if startThread({ _ = TermLexicon.standard; queue.push(true) }) { termsReady = queue }
        }
        _ = HeaderLexicon.standard
        _ = ValueShapeLexicon.standard
        _ = termsReady?.pop()
        _ = TermLexicon.standard
    }
}
