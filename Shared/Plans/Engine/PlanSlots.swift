/// The slots an expression or a condition reads: what the compiler counts as touched, so
/// the columns no step reads can be carried through a stage without being decoded.
extension BoundExpression {
    /// The slots the expression reads.
    var slots: Set<Int> {
        var found = Set<Int>()
        node.collectSlots(into: &found)
        return found
    }
}

extension BoundExpression.Node {
    /// Adds the slots this node and its children read to `found`.
    func collectSlots(into found: inout Set<Int>) {
        switch self {
        case .literal: break
        case .column(let slot, _): found.insert(slot)
        case .negate(let inner), .identity(let inner), .not(let inner): inner.collectSlots(into: &found)
        case .and(let left, let right), .or(let left, let right), .concat(let left, let right),
             .arithmetic(_, let left, let right), .compare(_, let left, let right):
            left.collectSlots(into: &found)
            right.collectSlots(into: &found)
        case .call(_, let arguments): for argument in arguments { argument.collectSlots(into: &found) }
        }
    }
}

extension CompiledCondition {
    /// The slots the condition reads.
    var slots: Set<Int> {
        switch self {
        case .all(let conditions), .any(let conditions): conditions.reduce(into: Set<Int>()) { $0.formUnion($1.slots) }
        case .expression(let expression): expression.slots
        case .compare(let slot, _, _), .member(let slot, _, _), .text(let slot, _, _), .isNull(let slot, _),
             .matches(let slot, _):
            [slot]
        }
    }
}
