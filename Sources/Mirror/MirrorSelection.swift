import Foundation

/// The interactive selector's state (pure): the plan's categories and channels as a tree, each checked or not.
/// `skald mirror` on a terminal renders ``lines`` and applies what the user types with ``apply(_:)``.
///
/// ```
///   1 [x] category "Text Channels"
///   2 [x]   #general: 120 messages
///   3 [ ]   #random: 40 messages
/// ```
/// Typing `3` checks #random, `1` unchecks the category and everything in it, `a` checks all, `n` none; an empty
/// line confirms.
public struct MirrorSelection: Sendable, Hashable {
    /// One row of the tree.
    public struct Row: Sendable, Hashable {
        /// The source channel id.
        public var id: UInt64
        /// The channel's name.
        public var name: String
        /// Indentation depth (0 category or top-level channel, 1 in a category, 2 a thread).
        public var depth: Int
        /// Whether it is a category.
        public var isCategory: Bool
        /// Messages to send.
        public var messages: Int
        /// The row ids this row toggles with it (its channels, or its threads).
        public var children: [UInt64]
    }

    /// What a typed line did.
    public enum Outcome: Sendable, Hashable {
        /// The selection changed or stayed; ask again.
        case again
        /// The user confirmed the selection.
        case confirmed
        /// The line was not understood (the message says why).
        case unknown(String)
    }

    /// The rows, in plan order (categories before their channels, threads after their parent).
    public private(set) var rows: [Row]
    /// The checked channel ids.
    public private(set) var checked: Set<UInt64>

    /// Every channel of `plan` that would be made, all checked.
    public init(plan: MirrorPlan) {
        let items = plan.channels
        var rows: [Row] = []
        let categories = items.filter { $0.type == 4 }
        let children = items.filter { $0.type != 4 }
        func add(_ item: MirrorPlan.ChannelItem, depth: Int) {
            rows.append(
                Row(
                    id: item.sourceId, name: item.name, depth: depth, isCategory: item.type == 4,
                    messages: item.pendingMessages, children: []))
        }
        for category in categories {
            add(category, depth: 0)
            let index = rows.count - 1
            for child in children where child.parentSourceId == category.sourceId {
                add(child, depth: 1)
                rows[index].children.append(child.sourceId)
            }
        }
        for child in children
        where child.parentSourceId == nil
            || !categories.contains(where: {
                $0.sourceId == child.parentSourceId
            })
        {
            add(child, depth: 0)
        }
        self.rows = rows
        self.checked = Set(rows.map(\.id))
    }

    /// The rows as the terminal shows them, numbered from 1.
    public var lines: [String] {
        rows.enumerated().map { index, row in
            let box = checked.contains(row.id) ? "[x]" : "[ ]"
            let indent = String(repeating: "  ", count: row.depth)
            let label = row.isCategory ? "category \"\(row.name)\"" : "#\(row.name): \(row.messages) messages"
            return "\(String(index + 1).leftPadded(to: 3)) \(box) \(indent)\(label)"
        }
    }

    /// The checked channels to pass as the plan's `only` (categories come along with their channels).
    public var selectedChannels: Set<UInt64> {
        Set(rows.filter { !$0.isCategory && checked.contains($0.id) }.map(\.id))
    }

    /// Applies one typed line: row numbers (space or comma separated) toggle, `a` all, `n` none, empty confirms.
    public mutating func apply(_ line: String) -> Outcome {
        let text = line.trimmingCharacters(in: .whitespaces).lowercased()
        if text.isEmpty || text == "y" || text == "done" { return .confirmed }
        if text == "a" {
            checked = Set(rows.map(\.id))
            return .again
        }
        if text == "n" {
            checked = []
            return .again
        }
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," })
        var numbers: [Int] = []
        for token in tokens {
            guard let number = Int(token), (1...rows.count).contains(number) else {
                return .unknown("\"\(token)\" is not a row number (1-\(rows.count)), a, n or an empty line")
            }
            numbers.append(number)
        }
        for number in numbers {
            let row = rows[number - 1]
            let on = !checked.contains(row.id)
            for id in [row.id] + row.children {
                if on { checked.insert(id) } else { checked.remove(id) }
            }
            // A category is checked while any of its channels is.
            for index in rows.indices where rows[index].isCategory {
                if rows[index].children.contains(where: checked.contains) {
                    checked.insert(rows[index].id)
                } else if !rows[index].children.isEmpty {
                    checked.remove(rows[index].id)
                }
            }
        }
        return .again
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
