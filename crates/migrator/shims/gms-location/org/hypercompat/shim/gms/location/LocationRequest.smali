.class public final Lorg/hypercompat/shim/gms/location/LocationRequest;
.super Ljava/lang/Object;
.source "LocationRequest.smali"

# Portable stand-in for com.google.android.gms.location.LocationRequest: the values that
# LocationManager understands (interval, smallest interval, priority).

.field public static final PRIORITY_HIGH_ACCURACY:I = 0x64
.field public static final PRIORITY_BALANCED_POWER_ACCURACY:I = 0x66
.field public static final PRIORITY_LOW_POWER:I = 0x68
.field public static final PRIORITY_NO_POWER:I = 0x69

.field private priority:I
.field private interval:J
.field private fastestInterval:J

.method public constructor <init>()V
    .registers 3
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    const/16 v0, 0x66
    iput v0, p0, Lorg/hypercompat/shim/gms/location/LocationRequest;->priority:I
    const-wide/32 v0, 0x36ee80
    iput-wide v0, p0, Lorg/hypercompat/shim/gms/location/LocationRequest;->interval:J
    const-wide/32 v0, 0x927c0
    iput-wide v0, p0, Lorg/hypercompat/shim/gms/location/LocationRequest;->fastestInterval:J
    return-void
.end method

.method public static create()Lorg/hypercompat/shim/gms/location/LocationRequest;
    .registers 1
    new-instance v0, Lorg/hypercompat/shim/gms/location/LocationRequest;
    invoke-direct {v0}, Lorg/hypercompat/shim/gms/location/LocationRequest;-><init>()V
    return-object v0
.end method

.method public setPriority(I)Lorg/hypercompat/shim/gms/location/LocationRequest;
    .registers 2
    iput p1, p0, Lorg/hypercompat/shim/gms/location/LocationRequest;->priority:I
    return-object p0
.end method

.method public setInterval(J)Lorg/hypercompat/shim/gms/location/LocationRequest;
    .registers 3
    iput-wide p1, p0, Lorg/hypercompat/shim/gms/location/LocationRequest;->interval:J
    return-object p0
.end method

.method public setFastestInterval(J)Lorg/hypercompat/shim/gms/location/LocationRequest;
    .registers 3
    iput-wide p1, p0, Lorg/hypercompat/shim/gms/location/LocationRequest;->fastestInterval:J
    return-object p0
.end method

.method public getPriority()I
    .registers 2
    iget v0, p0, Lorg/hypercompat/shim/gms/location/LocationRequest;->priority:I
    return v0
.end method

.method public getInterval()J
    .registers 3
    iget-wide v0, p0, Lorg/hypercompat/shim/gms/location/LocationRequest;->interval:J
    return-wide v0
.end method

.method public getFastestInterval()J
    .registers 3
    iget-wide v0, p0, Lorg/hypercompat/shim/gms/location/LocationRequest;->fastestInterval:J
    return-wide v0
.end method

# The LocationManager provider for the priority: GPS for high accuracy, network otherwise,
# passive for "no power".
.method public provider()Ljava/lang/String;
    .registers 3
    iget v0, p0, Lorg/hypercompat/shim/gms/location/LocationRequest;->priority:I
    const/16 v1, 0x64
    if-ne v0, v1, :not_high
    const-string v1, "gps"
    return-object v1
    :not_high
    const/16 v1, 0x69
    if-ne v0, v1, :not_passive
    const-string v1, "passive"
    return-object v1
    :not_passive
    const-string v1, "network"
    return-object v1
.end method
