/// Renders rows as aligned columns; numeric columns are right-aligned.
struct TextTable {
    let headers: [String]
    let rightAligned: Set<Int>
    var rows: [[String]] = []

    init(headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    mutating func append(_ row: [String]) {
        precondition(row.count == headers.count, "row width must match the headers")
        rows.append(row)
    }

    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func format(_ row: [String]) -> String {
            row.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return rightAligned.contains(index) ? padding + cell : cell + padding
            }.joined(separator: "  ").trimmingTrailingBlanks()
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([format(headers), rule] + rows.map(format)).joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingBlanks() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
