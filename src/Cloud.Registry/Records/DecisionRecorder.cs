using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Cloud.Registry.Records;

/// <summary>
/// Queues decision records for <see cref="DecisionRecordWriter"/> without blocking the caller.
/// When the buffer is full the record is dropped and counted in <see cref="Dropped"/>.
/// </summary>
public sealed class DecisionRecorder
{
    private readonly Channel<AuthEvent> buffer;
    private long dropped;
    private long written;

    public DecisionRecorder(IOptions<DecisionRecordOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        buffer = Channel.CreateBounded<AuthEvent>(new BoundedChannelOptions(options.Value.BufferCapacity)
        {
            // With Wait, TryWrite returns false on a full buffer instead of waiting.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>Records dropped because the buffer was full, since the start.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Records written to the database, since the start.</summary>
    public long Written => Interlocked.Read(ref written);

    /// <summary>Records waiting to be written.</summary>
    public int Pending => buffer.Reader.Count;

    internal ChannelReader<AuthEvent> Reader => buffer.Reader;

    public void Record(AuthEvent record)
    {
        ArgumentNullException.ThrowIfNull(record);

        if (!buffer.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref dropped);
        }
    }

    internal void CountWritten(int count) => Interlocked.Add(ref written, count);

}
