package io.hyperrec.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyperrec.schemas.avro.ItemEnriched;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class AvroBinaryValidatorTest {
    private static final Schema NAMES =
            SchemaBuilder.record("Names")
                    .fields()
                    .name("names")
                    .type()
                    .array()
                    .items()
                    .stringType()
                    .noDefault()
                    .name("note")
                    .type()
                    .unionOf()
                    .nullType()
                    .and()
                    .stringType()
                    .endUnion()
                    .nullDefault()
                    .endRecord();

    @Test
    void acceptsExactlyOneDatum() throws Exception {
        byte[] value =
                AvroCodec.singleObject(ItemEnriched.class).encode(SampleRecords.itemEnriched());

        assertThat(AvroBinaryValidator.findProblem(ItemEnriched.getClassSchema(), value, 10))
                .isEmpty();
    }

    @Test
    void reportsANegativeStringLength() {
        byte[] value = {2, 3, 'a', 'b'}; // one item, then length -2

        assertThat(AvroBinaryValidator.findProblem(NAMES, value, 0))
                .hasValue("negative length -2 at offset 1 in field names[0] (string)");
    }

    @Test
    void reportsABlockCountThatCannotFit() {
        byte[] value = {(byte) 0xC8, 0x01, 0, 0}; // 100 strings in 2 bytes

        assertThat(AvroBinaryValidator.findProblem(NAMES, value, 0))
                .hasValue(
                        "block of 100 items cannot fit in the 2 bytes left at offset 0 in field names (array)");
    }

    @Test
    void reportsAUnionIndexOutOfRange() {
        byte[] value = {0, 4}; // empty array, union branch 2 of 2

        assertThat(AvroBinaryValidator.findProblem(NAMES, value, 0))
                .hasValue(
                        "union index 2 out of range (the writer schema has 2 branches) at offset 1 in field note (union)");
    }

    @Test
    void reportsAnOverlongNumber() {
        byte[] value = {
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            1
        };

        assertThat(AvroBinaryValidator.findProblem(NAMES, value, 0))
                .hasValueSatisfying(
                        p ->
                                assertThat(p)
                                        .startsWith(
                                                "invalid variable-length number (more than 10 bytes)"));
    }

    @Test
    void readsBlocksThatCarryTheirByteSize() {
        byte[] value = {3, 8, 2, 'a', 2, 'b', 0, 0}; // count -2 then size 4: two items, end, null

        assertThat(AvroBinaryValidator.findProblem(NAMES, value, 0)).isEmpty();
    }
}
