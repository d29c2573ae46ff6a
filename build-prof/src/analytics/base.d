build-prof/src/analytics/base.o: src/analytics/base.c \
 src/analytics/base.h src/core/error.h src/store/store.h \
 src/analytics/facts.h src/core/progress.h src/core/rtime.h \
 src/core/sort.h
src/analytics/base.h:
src/core/error.h:
src/store/store.h:
src/analytics/facts.h:
src/core/progress.h:
src/core/rtime.h:
src/core/sort.h:
