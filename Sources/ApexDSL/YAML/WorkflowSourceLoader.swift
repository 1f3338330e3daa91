import Foundation

/// Turns the bytes of a workflow file into a ``SourceFile`` and its YAML tree, refusing what
/// is not a workflow (binary data, invalid UTF-8, an empty or oversized file) with a diagnostic.
public enum WorkflowSourceLoader {
    /// The largest workflow file accepted. Real workflows are a few kilobytes; a 2,000-step one
    /// is about 200 KB.
    public static let maxFileSize = 4 * 1024 * 1024

    public struct Result: Sendable {
        public var source: SourceFile?
        public var root: YAMLNode?
        public var diagnostics: DiagnosticBag
    }

    public static func load(data: Data, path: String) -> Result {
        var diagnostics = DiagnosticBag(file: path)
        guard data.count <= maxFileSize else {
            diagnostics.error(.fileTooLarge, "the file is \(data.count) bytes; a workflow may be at most \(maxFileSize) bytes (4 MiB)", at: .fileStart)
            return Result(source: nil, root: nil, diagnostics: diagnostics)
        }
        // A byte order mark (as Windows editors write one) is part of no line or column: the
        // text starts after it. Offsets in messages still count the file's bytes.
        let bomLength = data.starts(with: byteOrderMark) ? byteOrderMark.count : 0
        let bytes = [UInt8](data.dropFirst(bomLength))
        if let nul = bytes.firstIndex(of: 0) {
            diagnostics.error(.fileEncoding, "the file is binary (a NUL byte at offset \(bomLength + nul)), not YAML text", at: location(ofByte: nul, in: bytes))
            return Result(source: nil, root: nil, diagnostics: diagnostics)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let bad = firstInvalidUTF8Offset(bytes)
            diagnostics.error(.fileEncoding, "the file is not valid UTF-8 (a bad byte at offset \(bomLength + bad))", at: location(ofByte: bad, in: bytes))
            return Result(source: nil, root: nil, diagnostics: diagnostics)
        }
        let source = SourceFile(path: path, text: text)
        guard let root = YAMLComposer.compose(source, into: &diagnostics) else {
            if !diagnostics.hasErrors {
                diagnostics.error(.emptyFile, "the file holds no YAML document; a workflow needs at least `apex`, `name` and `steps`", at: .fileStart)
            }
            return Result(source: source, root: nil, diagnostics: diagnostics)
        }
        if case .scalar(let scalar) = root.kind, scalar.resolved.isNull {
            diagnostics.error(.emptyFile, "the file holds no YAML document; a workflow needs at least `apex`, `name` and `steps`", at: .fileStart)
            return Result(source: source, root: nil, diagnostics: diagnostics)
        }
        return Result(source: source, root: root, diagnostics: diagnostics)
    }

    /// U+FEFF in UTF-8.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    private static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int {
        var offset = 0
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return offset
            case .error: return offset
            }
        }
    }

    /// The line and column of a byte, counting columns in the valid UTF-8 before it on its line.
    private static func location(ofByte offset: Int, in bytes: [UInt8]) -> SourceRange {
        let lines = SourceFile.lineRanges(of: bytes[..<offset])
        let line = lines.count
        let lineStart = lines[line - 1].lowerBound
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).unicodeScalars.count + 1
        return .at(SourceLocation(line: line, column: column), length: 1)
    }
}
