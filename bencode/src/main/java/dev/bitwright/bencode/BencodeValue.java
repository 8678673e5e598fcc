package dev.bitwright.bencode;

/**
 * A bencoded value: one of the four types of the format. Every implementation is an immutable
 * record with value semantics ({@code equals} compares content).
 */
public sealed interface BencodeValue
    permits BencodeString, BencodeInteger, BencodeList, BencodeDictionary {}
