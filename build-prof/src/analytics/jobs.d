build-prof/src/analytics/jobs.o: src/analytics/jobs.c \
 src/analytics/jobs.h src/core/config.h src/core/error.h \
 src/store/store.h src/analytics/base.h src/analytics/change.h \
 src/analytics/clv.h src/analytics/cluster.h src/analytics/segment.h \
 src/analytics/value.h src/core/rtime.h src/analytics/quality.h
src/analytics/jobs.h:
src/core/config.h:
src/core/error.h:
src/store/store.h:
src/analytics/base.h:
src/analytics/change.h:
src/analytics/clv.h:
src/analytics/cluster.h:
src/analytics/segment.h:
src/analytics/value.h:
src/core/rtime.h:
src/analytics/quality.h:
