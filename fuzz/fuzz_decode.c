/* fuzz_decode.c — records decoded against specs (etl/spec.h: sp_decode,
 * with etl/convert.h's host numbers, amounts and dates, the code pages,
 * cleansing and rules), read by the spec's own reader.
 *
 * Input: a byte choosing the spec — the shipped ones in name order
 * (callcentre-calls ... online-users: host RDW in IBM-937 with packed and
 * zoned fields, CP950 CSV, UTF-8 CSV, JSON lines, whitespace), then those
 * of tests/fixtures/etl that load (contacts, customers: UTF-8 CSV; fixed:
 * fixed-length IBM-037 records with a packed amount; missing_column;
 * names: RDW in IBM-937; products: fixed columns in CP950) — then the
 * file, of which up to 64 records are decoded.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const sp_spec *s = fz_spec(data[0] % fz_spec_count());
    fz_decode_file(s, fz_write("input.dat", data + 1, size - 1), 64);
    return 0;
}
