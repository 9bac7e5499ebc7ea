namespace GenRec.MLNet.Data;

/// <summary>
/// File access shared by the loaders, so that every loader reports a missing file and numbers
/// its lines the same way (1-based, counting blank lines, as a text editor does).
/// </summary>
internal static class InputFile
{
    /// <summary>Throws <see cref="FileNotFoundException"/> naming the path when the file does not exist.</summary>
    public static void EnsureExists(string path, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            // The framework's own message omits the path when the caller passes a directory by mistake,
            // so we always say which path we looked for.
            throw new FileNotFoundException($"The {what} file was not found: {path}", path);
        }
    }

    /// <summary>
    /// Yields each line with its 1-based number. Line terminators (\n, \r\n) are removed by
    /// <see cref="StreamReader.ReadLine"/>; a UTF-8 byte order mark is dropped.
    /// </summary>
    public static IEnumerable<(long Number, string Text)> ReadLines(string path, string what)
    {
        EnsureExists(path, what);
        return Enumerate(path);

        static IEnumerable<(long, string)> Enumerate(string path)
        {
            using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
            long number = 0;
            string? line;
            while ((line = reader.ReadLine()) != null)
            {
                number++;
                yield return (number, line);
            }
        }
    }
}
