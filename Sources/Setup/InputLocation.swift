/// A place in an input file, so that every setup or import error can say exactly where
/// the problem is and an editor can jump to it.
///
/// Lines and columns count from 1; columns count Unicode scalars, as editors do. Line 0
/// stands for the file as a whole (it could not be opened, or is too large), and a nil
/// column for a whole line.
public struct InputLocation: Hashable, Sendable, CustomStringConvertible {
    /// The path as it was given to the loader or reader.
    public var file: String
    public var line: Int
    public var column: Int?

    public init(file: String, line: Int, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `FILE:LINE:COLUMN`, `FILE:LINE` without a column, `FILE` for the whole file.
    public var description: String {
        guard line > 0 else { return file }
        guard let column else { return "\(file):\(line)" }
        return "\(file):\(line):\(column)"
    }
}
