build-prof/src/api/routes.o: src/api/routes.c src/analytics/jobs.h \
 src/core/config.h src/core/error.h src/store/store.h src/etl/load.h \
 src/etl/spec.h src/core/rtime.h src/etl/copybook.h src/etl/reader.h \
 src/warehouse/warehouse.h src/core/seal.h src/match/run.h \
 src/match/resolve.h src/core/buf.h src/match/standard.h \
 src/api/c360doc.h src/api/internal.h src/api/api.h \
 src/security/security.h src/core/json.h
src/analytics/jobs.h:
src/core/config.h:
src/core/error.h:
src/store/store.h:
src/etl/load.h:
src/etl/spec.h:
src/core/rtime.h:
src/etl/copybook.h:
src/etl/reader.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/match/run.h:
src/match/resolve.h:
src/core/buf.h:
src/match/standard.h:
src/api/c360doc.h:
src/api/internal.h:
src/api/api.h:
src/security/security.h:
src/core/json.h:
