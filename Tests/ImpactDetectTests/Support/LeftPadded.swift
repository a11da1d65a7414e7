extension String {
    /// The string with zeros in front up to `n` characters (random digit strings in tests).
    func leftPadded(to n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
