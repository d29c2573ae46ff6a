build-prof/src/cli/cmd_customer.o: src/cli/cmd_customer.c \
 src/api/c360doc.h src/core/error.h src/warehouse/warehouse.h \
 src/core/seal.h src/store/store.h src/cli/cli.h src/core/config.h \
 src/cli/table.h src/core/vec.h src/core/buf.h src/core/json.h \
 src/core/progress.h src/core/rtime.h
src/api/c360doc.h:
src/core/error.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
src/cli/cli.h:
src/core/config.h:
src/cli/table.h:
src/core/vec.h:
src/core/buf.h:
src/core/json.h:
src/core/progress.h:
src/core/rtime.h:
