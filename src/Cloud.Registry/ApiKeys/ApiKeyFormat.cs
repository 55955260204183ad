using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Cloud.Registry.ApiKeys;

/// <summary>
/// Text form of an API key: <c>cloud_&lt;id&gt;_&lt;secret&gt;</c>. The id gives an indexed lookup, and
/// the secret carries the entropy. Both use letters and digits only, so a double click selects
/// the whole key.
/// </summary>
public static class ApiKeyFormat
{
    public const string Scheme = "cloud_";

    /// <summary>Length of the id: 12 characters from 36 symbols, about 62 bits, enough to avoid collisions.</summary>
    public const int IdLength = 12;

    /// <summary>Length of the secret: 43 characters from 62 symbols carry 256.03 bits.</summary>
    public const int SecretLength = 43;

    /// <summary>Length of <c>cloud_&lt;id&gt;</c>, the part of a key that may be shown.</summary>
    public const int PrefixLength = 6 + IdLength;

    public const int KeyLength = PrefixLength + 1 + SecretLength;

    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static readonly SearchValues<char> IdSymbols = SearchValues.Create(IdAlphabet);

    private static readonly SearchValues<char> SecretSymbols = SearchValues.Create(SecretAlphabet);

    /// <summary>Creates a new random key with <see cref="RandomNumberGenerator"/>.</summary>
    public static (string Id, string Key) Generate()
    {
        var id = RandomNumberGenerator.GetString(IdAlphabet, IdLength);
        var secret = RandomNumberGenerator.GetString(SecretAlphabet, SecretLength);
        return (id, $"{Scheme}{id}_{secret}");
    }

    /// <summary>
    /// Reads the id out of a presented key. Returns false when the text does not have the shape
    /// of a key, without saying which part is wrong.
    /// </summary>
    public static bool TryGetId(string? key, out string id)
    {
        id = string.Empty;
        if (key is null || key.Length != KeyLength || !key.StartsWith(Scheme, StringComparison.Ordinal) || key[PrefixLength] != '_')
        {
            return false;
        }

        var candidate = key.AsSpan(Scheme.Length, IdLength);
        if (candidate.ContainsAnyExcept(IdSymbols) || key.AsSpan(PrefixLength + 1).ContainsAnyExcept(SecretSymbols))
        {
            return false;
        }

        id = candidate.ToString();
        return true;
    }

    public static string PrefixOf(string id) => Scheme + id;

    /// <summary>
    /// SHA-256 of the key as lowercase hex. A fast hash is enough because the key is 256 random
    /// bits, so guessing from the hash is as hard as guessing the key.
    /// </summary>
    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>Compares a presented key with a stored hash in constant time.</summary>
    public static bool Matches(string key, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(storedHash);

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        Span<byte> stored = stackalloc byte[SHA256.HashSizeInBytes];
        if (storedHash.Length != SHA256.HashSizeInBytes * 2 || Convert.FromHexString(storedHash, stored, out _, out _) != OperationStatus.Done)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(presented, stored);
    }
}
