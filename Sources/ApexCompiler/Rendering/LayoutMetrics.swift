/// The sizes of ``PlanLayout``, in px. Widths are estimated from character counts at a
/// sans-serif font's average advance (0.6 em, generous), and kept even so that centering
/// gives whole numbers.
enum LayoutMetrics {
    /// Around the whole drawing.
    static let margin = 16.0
    /// Between two elements of a stack (room for a label and an arrow head).
    static let gap = 36.0
    /// Between a cluster's top or bottom anchor and its first or last node.
    static let anchorGap = 20.0
    /// Between two clusters of a row.
    static let rowGap = 20.0
    /// Between a stack's widest element and its first lane.
    static let laneMargin = 8.0
    /// The narrowest lane (one without a label).
    static let laneWidth = 12.0
    /// A cluster's padding left and right, and below its stack.
    static let clusterPadding = 12.0
    /// A cluster's top band, where its title is.
    static let titleBand = 24.0
    /// Between two lines of a node's label.
    static let lineHeight = 15.0

    /// Node labels: 12px, about 7.2 px per character.
    static func textWidth(_ text: String) -> Double { even(Double(text.count) * 7.2) }
    /// Edge labels: 11px, about 6.2 px per character (mostly lowercase and punctuation).
    static func labelWidth(_ text: String) -> Double { even(Double(text.count) * 6.2) }
    /// Cluster titles: 11px semibold, about 6.6 px per character.
    static func titleWidth(_ text: String) -> Double { even(Double(text.count) * 6.6) }

    /// The size of a node: its label's widest line plus room for its shape.
    static func size(of node: PlanGraph.Node) -> (width: Double, height: Double) {
        let text = node.lines.map(textWidth).max() ?? 0
        switch node.shape {
        case .terminal: return (max(64, even(text + 32)), 32)
        // Two lines (id and kind) fit in 40; an agent's tools add a line each.
        case .step: return (max(96, even(text + 24)), 40 + lineHeight * Double(max(0, node.lines.count - 2)))
        // A diamond holds a text box half its height tall only if it is twice the text wide.
        case .decision: return (max(120, even(2 * text + 16)), 56)
        case .fork: return (max(110, even(text + 2 * hexagonInset + 16)), 44)
        case .join: return (36, 36)
        case .failure: return (max(96, even(text + 2 * octagonCorner + 16)), 44)
        }
    }

    /// How far the hexagon's left and right points stick out of its top and bottom sides.
    static let hexagonInset = 14.0
    /// How much of each corner the octagon cuts off.
    static let octagonCorner = 10.0

    /// Half the width of `shape` (of half-size `halfWidth` × `halfHeight`) at `dy` from its
    /// middle: where an edge entering from the side meets it.
    static func halfWidth(of shape: PlanGraph.Shape, halfWidth: Double, halfHeight: Double, at dy: Double) -> Double {
        let ratio = halfHeight > 0 ? min(abs(dy) / halfHeight, 1) : 0
        switch shape {
        case .step: return halfWidth
        case .terminal:
            // A stadium: round ends of radius halfHeight.
            return halfWidth - halfHeight + halfHeight * (1 - ratio * ratio).squareRoot()
        case .decision: return halfWidth * (1 - ratio)
        case .fork: return halfWidth - hexagonInset * ratio
        case .join: return halfWidth * (1 - ratio * ratio).squareRoot()
        case .failure: return halfWidth - max(0, abs(dy) - (halfHeight - octagonCorner))
        }
    }

    /// `value` rounded up to an even number.
    static func even(_ value: Double) -> Double {
        (value / 2).rounded(.up) * 2
    }
}
