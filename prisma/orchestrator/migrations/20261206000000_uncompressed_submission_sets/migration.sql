-- A computation's submission set is stored without compression. Compressing
-- it doubled the time to store it (0.6 s more for the 33 MB set of 100,000
-- bids in the embedded database), and the auction waits for that store
-- before its run starts. It is read whole or not at all, so it gains
-- nothing from compression but disk space.
ALTER TABLE "computations" ALTER COLUMN "submissions" SET STORAGE EXTERNAL;
