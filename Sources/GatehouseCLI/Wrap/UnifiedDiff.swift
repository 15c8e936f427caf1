/// A unified diff of two texts, line by line (longest common subsequence; configuration files are small).
enum UnifiedDiff {
    static func text(_ before: String, _ after: String, from: String, to: String, context: Int = 3) -> String {
        let old = before.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let new = after.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let edits = script(old, new)
        var output = ["--- \(from)", "+++ \(to)"]
        var index = 0
        while index < edits.count {
            guard edits[index].kind != .same else {
                index += 1
                continue
            }
            var start = max(0, index - context)
            var end = index
            while end < edits.count {
                if edits[end].kind != .same {
                    end += 1
                    continue
                }
                var run = end
                while run < edits.count, edits[run].kind == .same { run += 1 }
                if run - end > 2 * context || run == edits.count { break }
                end = run
            }
            end = min(edits.count, end + context)
            while start > 0, edits[start - 1].kind != .same { start -= 1 }
            let hunk = edits[start..<end]
            let oldStart = (hunk.first?.oldLine ?? 0) + 1
            let newStart = (hunk.first?.newLine ?? 0) + 1
            let oldCount = hunk.filter { $0.kind != .added }.count
            let newCount = hunk.filter { $0.kind != .removed }.count
            output.append("@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@")
            for edit in hunk {
                switch edit.kind {
                case .same: output.append(" " + edit.text)
                case .removed: output.append("-" + edit.text)
                case .added: output.append("+" + edit.text)
                }
            }
            index = end
        }
        return output.joined(separator: "\n")
    }

    struct Edit {
        enum Kind { case same, removed, added }
        let kind: Kind
        let text: String
        let oldLine: Int
        let newLine: Int
    }

    static func script(_ old: [String], _ new: [String]) -> [Edit] {
        var lengths = [[Int]](repeating: [Int](repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                lengths[i][j] = old[i] == new[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var edits: [Edit] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                edits.append(Edit(kind: .same, text: old[i], oldLine: i, newLine: j))
                i += 1
                j += 1
            } else if j < new.count, i == old.count || lengths[i][j + 1] >= lengths[i + 1][j] {
                edits.append(Edit(kind: .added, text: new[j], oldLine: i, newLine: j))
                j += 1
            } else {
                edits.append(Edit(kind: .removed, text: old[i], oldLine: i, newLine: j))
                i += 1
            }
        }
        return edits
    }
}
