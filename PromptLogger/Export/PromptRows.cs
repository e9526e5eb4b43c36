using System.Data.Common;

namespace PromptLogging.Export;

/// <summary>
/// The rows of an export query, read column by column (by their position in the query) with no object per
/// row: texts come as their UTF-8 bytes, valid until the next <see cref="Read"/>.
/// </summary>
internal abstract class PromptRows : IDisposable
{
    /// <summary>Moves to the next row; false after the last.</summary>
    public abstract bool Read();

    /// <summary>A text column as UTF-8; empty when NULL.</summary>
    public abstract ReadOnlySpan<byte> Utf8(int ordinal);

    public abstract double? Double(int ordinal);

    public abstract long? Long(int ordinal);

    public abstract void Dispose();

    /// <summary>Rows through ADO.NET: any store; a copy of each text column.</summary>
    public static PromptRows Query(DbConnection connection, string sql, IReadOnlyList<KeyValuePair<string, string>> parameters) =>
        new DataReaderRows(connection, sql, parameters);

    private sealed class DataReaderRows : PromptRows
    {
        private readonly DbCommand _command;
        private readonly DbDataReader _reader;

        public DataReaderRows(DbConnection connection, string sql, IReadOnlyList<KeyValuePair<string, string>> parameters)
        {
            _command = connection.CreateCommand();
            try
            {
                _command.CommandText = sql;
                foreach (var (name, value) in parameters)
                {
                    var parameter = _command.CreateParameter();
                    parameter.ParameterName = name;
                    parameter.Value = value;
                    _command.Parameters.Add(parameter);
                }

                _reader = _command.ExecuteReader();
            }
            catch
            {
                _command.Dispose();
                throw;
            }
        }

        public override bool Read() => _reader.Read();

        // SQLite keeps text as UTF-8 and PostgreSQL sends it so: the bytes are copied, never transcoded.
        public override ReadOnlySpan<byte> Utf8(int ordinal) => _reader.IsDBNull(ordinal) ? default : _reader.GetFieldValue<byte[]>(ordinal);

        public override double? Double(int ordinal) => _reader.IsDBNull(ordinal) ? null : _reader.GetDouble(ordinal);

        public override long? Long(int ordinal) => _reader.IsDBNull(ordinal) ? null : _reader.GetInt64(ordinal);

        public override void Dispose()
        {
            _reader.Dispose();
            _command.Dispose();
        }
    }
}
