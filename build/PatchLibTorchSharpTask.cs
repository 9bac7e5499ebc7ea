// Compiled by MSBuild against .NET Standard 2.0 (no nullable annotations, no spans).
// MSBuild inline task (RoslynCodeTaskFactory) that marks libLibTorchSharp.so's GLIBCXX_3.4.32 version
// requirement as weak when the system libstdc++ does not provide that version. See TorchSharpNativeFix.targets.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class GenRecPatchLibTorchSharp : Task
{
    private const string MissingVersion = "GLIBCXX_3.4.32";
    private const string LibraryName = "libLibTorchSharp.so";
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    [Required]
    public string SearchDirectory { get; set; } = "";

    public override bool Execute()
    {
        if (!Directory.Exists(SearchDirectory))
        {
            return true;
        }

        string[] libraries = Directory.GetFiles(SearchDirectory, LibraryName, SearchOption.AllDirectories);
        if (libraries.Length == 0)
        {
            return true;
        }

        string systemLibStdCxx = FindSystemLibStdCxx();
        if (systemLibStdCxx == null)
        {
            Log.LogMessage(MessageImportance.Normal, "GenRec: no system libstdc++.so.6 found; leaving " + LibraryName + " unchanged.");
            return true;
        }

        if (ContainsAscii(File.ReadAllBytes(systemLibStdCxx), MissingVersion + "\0"))
        {
            Log.LogMessage(MessageImportance.Low, "GenRec: " + systemLibStdCxx + " provides " + MissingVersion + "; no TorchSharp native fix needed.");
            return true;
        }

        foreach (string library in libraries)
        {
            try
            {
                PatchOne(library);
            }
            catch (Exception ex)
            {
                Log.LogError("GenRec: could not patch " + library + ": " + ex.Message);
                return false;
            }
        }

        return !Log.HasLoggedErrors;
    }

    private void PatchOne(string path)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException("not an ELF file");
        }

        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("expected a 64-bit little-endian ELF file");
        }

        long sectionHeaderOffset = (long)BitConverter.ToUInt64(elf, 0x28);
        int sectionHeaderSize = BitConverter.ToUInt16(elf, 0x3A);
        int sectionCount = BitConverter.ToUInt16(elf, 0x3C);

        for (int section = 0; section < sectionCount; section++)
        {
            int header = checked((int)(sectionHeaderOffset + (long)section * sectionHeaderSize));
            if (BitConverter.ToUInt32(elf, header + 4) != ShtGnuVerneed)
            {
                continue;
            }

            int verneedOffset = checked((int)BitConverter.ToUInt64(elf, header + 24));
            int linkedStringSection = (int)BitConverter.ToUInt32(elf, header + 40);
            int verneedCount = (int)BitConverter.ToUInt32(elf, header + 44);
            int stringHeader = checked((int)(sectionHeaderOffset + (long)linkedStringSection * sectionHeaderSize));
            int stringTableOffset = checked((int)BitConverter.ToUInt64(elf, stringHeader + 24));

            int verneed = verneedOffset;
            for (int need = 0; need < verneedCount; need++)
            {
                int auxCount = BitConverter.ToUInt16(elf, verneed + 2);
                int aux = verneed + (int)BitConverter.ToUInt32(elf, verneed + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    int nameOffset = stringTableOffset + (int)BitConverter.ToUInt32(elf, aux + 8);
                    if (ReadCString(elf, nameOffset) == MissingVersion)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, aux + 4);
                        if ((flags & VerFlagWeak) != 0)
                        {
                            Log.LogMessage(MessageImportance.Low, "GenRec: " + path + " already patched.");
                            return;
                        }

                        byte[] patched = BitConverter.GetBytes((ushort)(flags | VerFlagWeak));
                        elf[aux + 4] = patched[0];
                        elf[aux + 5] = patched[1];
                        // Write a new file and move it over the old one, so a hard link into the NuGet cache
                        // (if the SDK ever creates one) is replaced rather than modified.
                        string temporary = path + ".genrec-patch";
                        File.WriteAllBytes(temporary, elf);
                        File.Delete(path);
                        File.Move(temporary, path);
                        Log.LogMessage(MessageImportance.High, "GenRec: marked " + MissingVersion + " weak in " + path + " (system libstdc++ predates GCC 13).");
                        return;
                    }

                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }

                int next = (int)BitConverter.ToUInt32(elf, verneed + 12);
                if (next == 0)
                {
                    break;
                }

                verneed += next;
            }
        }

        Log.LogMessage(MessageImportance.Normal, "GenRec: " + path + " does not require " + MissingVersion + "; unchanged.");
    }

    private static string FindSystemLibStdCxx()
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6",
            "/lib64/libstdc++.so.6",
            "/usr/lib/libstdc++.so.6",
        };
        foreach (string candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string ReadCString(byte[] bytes, int offset)
    {
        int end = offset;
        while (end < bytes.Length && bytes[end] != 0)
        {
            end++;
        }

        return Encoding.ASCII.GetString(bytes, offset, end - offset);
    }

    private static bool ContainsAscii(byte[] haystack, string needle)
    {
        byte[] pattern = Encoding.ASCII.GetBytes(needle);
        for (int start = 0; start <= haystack.Length - pattern.Length; start++)
        {
            int matched = 0;
            while (matched < pattern.Length && haystack[start + matched] == pattern[matched])
            {
                matched++;
            }

            if (matched == pattern.Length)
            {
                return true;
            }
        }

        return false;
    }
}
