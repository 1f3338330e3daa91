extension Expression {
    /// The ranges of the left operands of `??`: reads there come with a default, so a step
    /// that may not have run is not worth a warning.
    var coalescedRanges: [Range<Int>] {
        var ranges: [Range<Int>] = []
        var pending = [self]
        while let expression = pending.popLast() {
            switch expression.kind {
            case .binary(.coalesce, let left, let right):
                ranges.append(left.range)
                pending += [left, right]
            case .binary(_, let left, let right):
                pending += [left, right]
            case .member(let base, _), .projection(let base), .unary(_, let base):
                pending.append(base)
            case .index(let base, let index):
                pending += [base, index]
            case .call(_, let arguments), .list(let arguments):
                pending += arguments
            case .conditional(let condition, let then, let otherwise):
                pending += [condition, then, otherwise]
            case .object(let entries):
                pending += entries.map(\.value)
            case .literal, .context:
                break
            }
        }
        return ranges
    }
}
